//! Commands of the registry list's files: import of the centre's CSV/XLSX table (preview, check, save, error list) and export of the filtered list.

use tauri::State;

use crate::commands::dialog::{readable, writable};
use crate::state::AppState;
use cpe_core::audit::AuditAction;
use cpe_core::sme::export;
use cpe_core::sme::import_table::{self, ImportField, ImportReport, RowError, SourceTable, TablePreview};
use cpe_core::sme::SmeQuery;
use cpe_core::Result;

/// Rows of the table shown in the preview.
const PREVIEW_ROWS: usize = 5;

fn read(state: &AppState, path: &str) -> Result<SourceTable> {
    import_table::read_table(&readable(state, path)?)
}

#[tauri::command]
pub fn sme_table_preview(state: State<'_, AppState>, path: String) -> Result<TablePreview> {
    crate::guard::guard(|| Ok(import_table::preview(&read(&state, &path)?, PREVIEW_ROWS)))?
}

#[tauri::command]
pub fn sme_table_check(
    state: State<'_, AppState>,
    path: String,
    mapping: Vec<Option<ImportField>>,
) -> Result<ImportReport> {
    let table = read(&state, &path)?;
    let today = chrono::Local::now().date_naive();
    state.with(|c| import_table::check(c, &table, &mapping, today))
}

#[tauri::command]
pub fn sme_table_save(
    state: State<'_, AppState>,
    path: String,
    mapping: Vec<Option<ImportField>>,
) -> Result<ImportReport> {
    let table = read(&state, &path)?;
    let ctx = state.ctx()?;
    state.with(|c| import_table::save(c, &ctx, &table, &mapping))
}

#[tauri::command]
pub fn sme_table_errors_save(state: State<'_, AppState>, path: String, errors: Vec<RowError>) -> Result<()> {
    crate::guard::guard(|| import_table::write_errors_csv(&errors, &writable(&state, &path)?))?
}

/// Writes the list as filtered (the query's window is ignored); returns the number of records.
#[tauri::command]
pub fn sme_export(state: State<'_, AppState>, mut query: SmeQuery, path: String) -> Result<u32> {
    query.as_of = Some(chrono::Local::now().date_naive());
    let path = writable(&state, &path)?;
    let n = state.with(|c| export::export(c, &query, &path))?;
    state.journal_output(
        "sme_list",
        "",
        AuditAction::Export,
        serde_json::json!({"title": "Реестр СМСП", "file": path.display().to_string(), "rows": n, "filter": query.text}),
    )?;
    Ok(n)
}
