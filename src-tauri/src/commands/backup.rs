//! Commands of the «Резервные копии» panel (and of the screen shown when the database cannot be opened).

use std::path::{Path, PathBuf};

use cpe_core::backup::{self, BackupFile, BackupKind, BackupSettings};
use cpe_core::{CoreError, Result};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub fn backup_list(state: State<'_, AppState>) -> Result<Vec<BackupFile>> {
    if state.open_error().is_some() {
        return crate::guard::guard(|| backup::list_default(&state.data_dir))?;
    }
    state.with(|c| backup::list(c, &state.data_dir))
}

#[tauri::command]
pub fn backup_create(state: State<'_, AppState>) -> Result<BackupFile> {
    let now = state.ctx()?.now;
    state.with(|c| backup::create(c, &state.data_dir, BackupKind::Manual, now))
}

#[tauri::command]
pub fn backup_settings(state: State<'_, AppState>) -> Result<BackupSettings> {
    state.with(|c| backup::settings(c))
}

#[tauri::command]
pub fn backup_settings_save(state: State<'_, AppState>, settings: BackupSettings) -> Result<BackupSettings> {
    let ctx = state.ctx()?;
    state.with(|c| backup::save_settings(c, &ctx, &state.data_dir, &settings))
}

/// Restores the copy at `path`: one of the listed copies, or a file the user picked. When the
/// database could not be opened, the copy replaces the damaged file (kept aside) and the
/// database is opened again.
#[tauri::command]
pub fn backup_restore(state: State<'_, AppState>, path: String) -> Result<()> {
    let file = PathBuf::from(path.trim());
    if file.as_os_str().is_empty() {
        return Err(CoreError::field("path", "Выберите копию для восстановления"));
    }
    // A copy of the list, or a file chosen in the open dialog.
    let listed = backup_list(state.clone())?.iter().any(|b| Path::new(&b.path) == file);
    if !listed {
        crate::commands::dialog::check_read(&state, &file)?;
    }
    if state.open_error().is_some() {
        // Nobody can log in to a database that does not open: whoever is at the PC may put a copy
        // in its place (the damaged file is kept aside).
        let now = chrono::Local::now().naive_local();
        crate::guard::guard(|| backup::restore_over(&state.data_dir, &file, now))??;
        return state.reopen();
    }
    let ctx = state.ctx()?;
    state.with(|c| backup::restore(c, &ctx, &state.data_dir, &file).map(|_| ()))?;
    // The copy has its own accounts (perhaps without this one): log in to it again.
    state.end_session();
    if let Ok(mut kept) = state.sme_search.lock() {
        *kept = Default::default();
    }
    Ok(())
}
