//! Commands about the app itself: where its data is, whether the database opened, who is working.

use serde::Serialize;
use tauri::State;
use ts_rs::TS;

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
    pub actor: String,
}

#[tauri::command]
pub fn app_status(state: State<'_, AppState>) -> AppStatus {
    AppStatus {
        version: env!("CARGO_PKG_VERSION").into(),
        data_dir: state.data_dir.display().to_string(),
        db_error: state.open_error(),
        actor: state.actor(),
    }
}

/// The staff member chosen in the header; every change from now on is recorded under this name.
#[tauri::command]
pub fn actor_set(state: State<'_, AppState>, name: String) -> String {
    state.set_actor(&name);
    state.actor()
}
