//! Commands about the app itself: where its data is, whether the database opened, how long it took to start.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::demo::DemoStatus;
use crate::state::AppState;
use cpe_core::CoreError;

/// What the UI needs to know at start.
#[derive(Debug, Serialize, TS)]
#[ts(export)]
pub struct AppStatus {
    pub version: String,
    pub data_dir: String,
    /// Why the database could not be opened; the UI shows only this message when set.
    pub db_error: Option<CoreError>,
    /// Started with `--demo`: the state of the throw-away demo data.
    pub demo: Option<DemoStatus>,
}

#[tauri::command]
pub fn app_status(state: State<'_, AppState>) -> AppStatus {
    AppStatus {
        version: env!("CARGO_PKG_VERSION").into(),
        data_dir: state.data_dir.display().to_string(),
        db_error: state.open_error(),
        demo: state.demo.as_ref().map(|d| d.status()),
    }
}

static STARTED: OnceLock<Instant> = OnceLock::new();
static REPORTED: AtomicBool = AtomicBool::new(false);

/// Called first thing in `main`: the moment "app start" is measured from.
pub fn mark_start() {
    STARTED.get_or_init(Instant::now);
}

/// The UI calls this once its first screen (the registry with its first rows) is shown; the
/// time since start goes to standard error once, for the benchmark script to read.
#[tauri::command]
pub fn first_screen() -> u64 {
    let ms = STARTED.get().map(|t| t.elapsed().as_millis() as u64).unwrap_or(0);
    if !REPORTED.swap(true, Ordering::Relaxed) {
        eprintln!("cpe-app: first screen {ms} ms after start");
    }
    ms
}
