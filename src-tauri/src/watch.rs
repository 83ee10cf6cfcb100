//! A colleague's change reaches the open screens: while someone works (logged in, not locked), the database's change mark is read every two seconds and a `data-changed` event goes to the UI when it moved — pushed from here, because a webview in the background slows its own timers down to minutes.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};

use crate::state::AppState;

const EVERY: Duration = Duration::from_secs(2);

/// Starts the watcher thread; it ends with the process.
pub fn start(app: AppHandle) {
    std::thread::spawn(move || {
        let mut last = None;
        loop {
            std::thread::sleep(EVERY);
            let state = app.state::<AppState>();
            if state.session().is_none() || state.is_locked() {
                last = None;
                continue;
            }
            // Unreadable (the server away): asked again next time; the screens say what failed.
            let Ok(stamp) = state.with(|c| c.change_stamp()) else {
                continue;
            };
            // The first reading of a session has nothing to compare with: the screens opened
            // meanwhile may have missed a change, so they load once more.
            if last != Some(stamp) {
                let _ = app.emit("data-changed", ());
            }
            last = Some(stamp);
        }
    });
}
