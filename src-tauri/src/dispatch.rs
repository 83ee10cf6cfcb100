//! The commands run off the main thread, one after another in the order the window made the calls, so a call waiting for the server never freezes the window.
//!
//! Tauri runs a sync command on the main thread, inside the GTK/WebKit main loop: while a call
//! waits for the centre's server (10 s on a dead network, 10 s behind a colleague's lock, a
//! connection being started) the window neither repaints nor takes a key, and the system offers
//! to close it as «не отвечает» — with the form unsaved. Tauri's `async` commands are no answer:
//! the server's blocking client cannot run on the async runtime's threads, and the order of the
//! calls (a save, then the list's reload) would be lost. So [`off_main_thread`] hands every call,
//! with the moment it arrived, to one thread of its own; async commands (the dialogs, the tax
//! service's import) are only started there and go on on Tauri's runtime as before.

use std::cell::Cell;
use std::sync::mpsc;
use std::time::Instant;

use tauri::ipc::Invoke;
use tauri::Runtime;

thread_local! {
    /// When the call running on this thread arrived from the window.
    static ARRIVED: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// When the call running now arrived from the window (`None` outside the commands' thread): a
/// call that waited in the queue behind one that found the server gone is answered at once
/// ([`crate::state::AppState::with_open`]).
pub fn arrived() -> Option<Instant> {
    ARRIVED.with(Cell::get)
}

/// Runs `f` as the call that arrived `at`.
pub fn arriving<T>(at: Instant, f: impl FnOnce() -> T) -> T {
    let before = ARRIVED.with(|a| a.replace(Some(at)));
    let result = f();
    ARRIVED.with(|a| a.set(before));
    result
}

const STOPPED: &str = "Внутренняя ошибка программы: поток команд остановлен. Перезапустите программу.";

/// Wraps the handler `tauri::generate_handler!` made: each call goes to the commands' thread.
pub fn off_main_thread<R: Runtime>(
    handler: impl Fn(Invoke<R>) -> bool + Send + Sync + 'static,
) -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    let (calls, queue) = mpsc::channel::<(Instant, Invoke<R>)>();
    let started = std::thread::Builder::new().name("cpe-commands".into()).spawn(move || {
        for (at, invoke) in queue {
            let resolver = invoke.resolver.clone();
            let command = invoke.message.command().to_owned();
            match crate::guard::guard(|| arriving(at, || handler(invoke))) {
                Ok(true) => {}
                Ok(false) => resolver.reject(format!("Command {command} not found")),
                Err(e) => resolver.reject(e),
            }
        }
    });
    if let Err(e) = started {
        eprintln!("the commands' thread did not start: {e}");
    }
    move |invoke: Invoke<R>| {
        if let Err(mpsc::SendError((_, invoke))) = calls.send((Instant::now(), invoke)) {
            invoke.resolver.reject(STOPPED);
        }
        true
    }
}
