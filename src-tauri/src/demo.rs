//! The app's `--demo` start: a throw-away data directory filled with the core's small demo data on a background thread while the window already shows progress; removed when the app exits.

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
}

impl DemoRun {
    /// A fresh directory in the system's temp folder, unique to this process.
    pub fn prepare() -> std::io::Result<Arc<DemoRun>> {
        let dir = std::env::temp_dir().join(format!("cpe-demo-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(Arc::new(DemoRun {
            dir,
            status: Mutex::new(DemoStatus {
                ready: false,
                progress: "Подготовка базы".into(),
                error: None,
            }),
        }))
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

    /// Fills the directory on its own connection; the app's connection sees the data once committed (WAL).
    pub fn fill(self: &Arc<Self>) {
        let run = Arc::clone(self);
        std::thread::spawn(move || {
            let outcome = db::open_in(&run.dir).and_then(|mut conn| {
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

    /// Removes the throw-away directory (at exit).
    pub fn remove(&self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
