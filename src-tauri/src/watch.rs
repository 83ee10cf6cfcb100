//! A colleague's change reaches the open screens: while someone works (logged in, not locked), the database's change mark is read every two seconds and a `data-changed` event goes to the UI when it moved — pushed from here, because a webview in the background slows its own timers down to minutes. The same reading tells whether the centre's server answers: `server-link` (false: the link is lost, true: back) goes to the UI when that changes, so the screens say so before anyone presses «Сохранить».

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};

use crate::state::AppState;

const EVERY: Duration = Duration::from_secs(2);

/// Starts the watcher thread; it ends with the process.
pub fn start(app: AppHandle) {
    std::thread::spawn(move || {
        let mut last = None;
        let mut linked = true;
        loop {
            std::thread::sleep(EVERY);
            let state = app.state::<AppState>();
            if state.session().is_none() || state.is_locked() {
                // The screens start each session's watch linked (`liveData.watch`).
                (last, linked) = (None, true);
                continue;
            }
            let reading = state.with(|c| c.change_stamp());
            // A failed reading that leaves the server's connection closed: the link is lost (the
            // reading tried to connect again first). Any other failure says nothing of the link.
            let answers = reading.is_ok() || !state.link_lost();
            if answers != linked {
                linked = answers;
                let _ = app.emit("server-link", linked);
            }
            // Unreadable: asked again next time; the screens say what failed.
            let Ok(stamp) = reading else {
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
