//! Commands of «Журнал изменений»: a window of the filtered journal, what its filters offer, and its export to XLSX.

use tauri::State;

use crate::commands::dialog::writable;
use crate::state::AppState;
use cpe_core::audit::AuditAction;
use cpe_core::journal::{self, JournalFilters, JournalPage, JournalQuery};
use cpe_core::Result;

#[tauri::command]
pub fn journal_page(state: State<'_, AppState>, query: JournalQuery, offset: u32, limit: u32) -> Result<JournalPage> {
    state.with(|c| journal::page(c, &query, offset, limit))
}

#[tauri::command]
pub fn journal_filters(state: State<'_, AppState>) -> Result<JournalFilters> {
    state.with(|c| journal::filters(c))
}

/// Writes the filtered journal to a file chosen in the save dialog; returns the entries written.
#[tauri::command]
pub fn journal_export(state: State<'_, AppState>, query: JournalQuery, path: String) -> Result<u32> {
    let path = writable(&state, &path)?;
    let n = state.with(|c| journal::export_xlsx(c, &query, &path))?;
    state.journal_output(
        "journal",
        "",
        AuditAction::Export,
        serde_json::json!({"title": "Журнал изменений", "file": path.display().to_string(), "rows": n}),
    )?;
    Ok(n)
}

/// The mark of a record's last change, read by a form before the record itself and given back on
/// save, so that a colleague's change in between is not saved over (`audit::unchanged_since`).
#[tauri::command]
pub fn record_mark(state: State<'_, AppState>, entity: String, id: i64) -> Result<i64> {
    state.with(|c| cpe_core::audit::last_change(c, &entity, id))
}
