//! The app's `--demo` start: a throw-away data directory filled with the core's small demo data on a background thread while the window already shows progress; removed when the app exits — also when it is ended by a signal — and leftovers of demo runs that died are removed at the next start.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use cpe_core::demo::{self, DemoOptions, Scale};
use cpe_core::{db, CoreError};
use serde::Serialize;
use ts_rs::TS;

/// What the UI shows while the demo data is being made, and after.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DemoStatus {
    /// The data is complete: the sections may be shown.
    pub ready: bool,
    /// The phase being filled, in Russian.
    pub progress: String,
    /// Why filling failed (the sections then stay hidden).
    pub error: Option<CoreError>,
}

pub struct DemoRun {
    pub dir: PathBuf,
    status: Mutex<DemoStatus>,
    /// Set when the directory is removed (the app ends): nothing may open the database in it
    /// again, as opening creates the directory anew. Held while a database is being opened in it.
    ending: Mutex<bool>,
}

impl DemoRun {
    /// A fresh directory, unique to this process, in the user's private folder (next to the files
    /// handed to the viewer; not the shared temp folder). Leftovers of runs whose process is gone
    /// (killed, a power cut) are removed first.
    pub fn prepare() -> std::io::Result<Arc<DemoRun>> {
        let parent = crate::handoff::folder()
            .map(|f| f.with_file_name("demo"))
            .map_err(|e| std::io::Error::other(e.message))?;
        std::fs::create_dir_all(&parent)?;
        remove_dead_runs(&parent);
        let dir = parent.join(format!("cpe-demo-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(Arc::new(DemoRun::at(dir)))
    }

    fn at(dir: PathBuf) -> DemoRun {
        DemoRun {
            dir,
            status: Mutex::new(DemoStatus {
                ready: false,
                progress: "Подготовка базы".into(),
                error: None,
            }),
            ending: Mutex::new(false),
        }
    }

    pub fn status(&self) -> DemoStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or(DemoStatus {
            ready: false,
            progress: String::new(),
            error: Some(CoreError::storage(
                "Внутренняя ошибка демонстрационного режима; перезапустите программу",
            )),
        })
    }

    fn set(&self, f: impl FnOnce(&mut DemoStatus)) {
        if let Ok(mut s) = self.status.lock() {
            f(&mut s);
        }
    }

    /// Runs `open` — opening a database in the directory, which creates it when missing — unless
    /// the directory is being or has been removed (`None`). The removal waits for an opening under
    /// way: a signal that came while the filling thread opened its connection left the directory
    /// made anew after its removal.
    pub fn unless_ending<T>(&self, open: impl FnOnce() -> T) -> Option<T> {
        let ending = self.ending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        (!*ending).then(open)
    }

    /// Fills the directory on its own connection; the app's connection sees the data once committed (WAL).
    pub fn fill(self: &Arc<Self>) {
        let run = Arc::clone(self);
        std::thread::spawn(move || {
            // The app is ending already: nothing to fill.
            let Some(opened) = run.unless_ending(|| db::open_in(&run.dir)) else {
                return;
            };
            let outcome = opened.and_then(|mut conn| {
                let opts = DemoOptions {
                    scale: Scale::Small,
                    seed: 1,
                    today: chrono::Local::now().date_naive(),
                };
                demo::generate(&mut conn, &opts, &mut |line| run.set(|s| s.progress = line.to_owned()))
            });
            run.set(|s| match outcome {
                Ok(_) => s.ready = true,
                Err(e) => s.error = Some(e),
            });
        });
    }

    /// Removes the throw-away directory (at exit). The filling thread may still be writing into
    /// it (an end by signal while the data is made): a file created meanwhile makes one pass fail,
    /// so it tries a few times.
    pub fn remove(&self) {
        let mut ending = self.ending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *ending = true;
        for _ in 0..20 {
            if std::fs::remove_dir_all(&self.dir).is_ok() || !self.dir.exists() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// SIGTERM, SIGINT and SIGHUP (the session ends, `kill`, Ctrl+C in a terminal) remove the
    /// directory too, then end the program.
    #[cfg(unix)]
    pub fn remove_on_signals(self: &Arc<Self>) {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP]) else {
            return;
        };
        let run = Arc::clone(self);
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                run.remove();
                std::process::exit(128 + signal);
            }
        });
    }

    #[cfg(not(unix))]
    pub fn remove_on_signals(self: &Arc<Self>) {}
}

/// Removes `cpe-demo-PID` directories whose process no longer runs.
fn remove_dead_runs(parent: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("cpe-demo-").and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !alive(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(unix)]
fn alive(pid: u32) -> bool {
    // SAFETY: signal 0 only asks whether the process exists.
    let r = unsafe { libc::kill(pid as libc::pid_t, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// On Windows the files of a live run are open and cannot be removed; those of a dead one can.
#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Once removed, the directory is not made again by a database opened in it afterwards.
    #[test]
    fn nothing_opens_the_directory_again_once_it_is_removed() {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("cpe-demo-1");
        std::fs::create_dir_all(&dir).unwrap();
        let run = DemoRun::at(dir.clone());
        assert!(run.unless_ending(|| db::open_in(&dir)).is_some_and(|c| c.is_ok()));
        run.remove();
        assert!(!dir.exists());
        assert!(run.unless_ending(|| db::open_in(&dir)).is_none());
        assert!(!dir.exists(), "made anew after its removal");
    }
}
