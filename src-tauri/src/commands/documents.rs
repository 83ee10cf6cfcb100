//! Commands of the «Документы» section and of the document buttons on cards: make and archive the PDF of a record, save a copy, open it in the system viewer, print it on a chosen printer, attach the scan of the signed paper, mark it signed, list the archive and the acts, and print the acts of a period into one PDF.

use std::path::PathBuf;

use chrono::NaiveDate;
use tauri::State;

use crate::commands::dialog::{readable, writable};
use crate::state::AppState;
use cpe_core::audit::AuditAction;
use cpe_core::document::archive::{self, ActRegistryRow, ArchiveQuery, ArchivedDocument, DocumentKind};
use cpe_core::{CoreError, ErrorCode, Result};

pub(crate) fn write(path: &PathBuf, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| {
        CoreError::field(
            "path",
            format!("Не удалось записать {}: {e}. Выберите другую папку", path.display()),
        )
    })
}

#[tauri::command]
pub fn document_generate(state: State<'_, AppState>, kind: DocumentKind, source_id: i64) -> Result<ArchivedDocument> {
    let ctx = state.ctx()?;
    state.with(|c| archive::generate(c, &ctx, kind, source_id))
}

#[tauri::command]
pub fn document_list(state: State<'_, AppState>, query: ArchiveQuery) -> Result<Vec<ArchivedDocument>> {
    state.with(|c| archive::list(c, &query))
}

#[tauri::command]
pub fn document_save_copy(state: State<'_, AppState>, id: i64, path: String) -> Result<()> {
    let path = writable(&state, &path)?;
    let bytes = state.with(|c| archive::pdf(c, id))?;
    write(&path, &bytes)?;
    state.journal_output(
        "document",
        id,
        AuditAction::Export,
        serde_json::json!({"file": path.display().to_string()}),
    )
}

/// The archived PDF written to a temporary file, for the viewer or the printer.
fn temp_copy(state: &AppState, id: i64) -> Result<(ArchivedDocument, PathBuf)> {
    let (doc, bytes) = state.with(|c| Ok((archive::get(c, id)?, archive::pdf(c, id)?)))?;
    let name = format!("{} {} (версия {}).pdf", doc.kind.label(), doc.number, doc.version);
    let path = crate::handoff::write(&name, &bytes)?;
    Ok((doc, path))
}

/// Writes the archived PDF to a temporary file and hands it to the system's PDF viewer.
#[tauri::command]
pub fn document_open(state: State<'_, AppState>, id: i64) -> Result<()> {
    crate::guard::guard(|| {
        let (_, path) = temp_copy(&state, id)?;
        open_in_viewer(&path)
    })?
}

/// Printers of the system, the default first; empty when none is set up.
#[tauri::command]
pub fn printers() -> Result<Vec<String>> {
    crate::guard::guard(crate::print::printers)?
}

/// Prints the archived PDF on `printer`, `copies` times.
#[tauri::command]
pub fn document_print(state: State<'_, AppState>, id: i64, printer: String, copies: u32) -> Result<()> {
    crate::guard::guard(|| {
        let (doc, path) = temp_copy(&state, id)?;
        crate::print::print_pdf(
            &path,
            &printer,
            copies,
            &format!("{} № {}", doc.kind.label(), doc.number),
        )?;
        state.journal_output(
            "document",
            id,
            AuditAction::Print,
            serde_json::json!({"printer": printer, "copies": copies}),
        )
    })?
}

pub(crate) fn open_in_viewer(path: &std::path::Path) -> Result<()> {
    let mut cmd = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(path).spawn().map(|_| ()).map_err(|e| {
        CoreError::new(
            ErrorCode::Storage,
            format!(
                "Не удалось открыть программу просмотра PDF ({e}). Сохраните копию через «Сохранить как…» и откройте её"
            ),
        )
    })
}

#[tauri::command]
pub fn document_attach_scan(state: State<'_, AppState>, id: i64, path: String) -> Result<ArchivedDocument> {
    let path = readable(&state, &path)?;
    let bytes = std::fs::read(&path)
        .map_err(|e| CoreError::field("scan", format!("Не удалось прочитать {}: {e}", path.display())))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ctx = state.ctx()?;
    state.with(|c| archive::attach_scan(c, &ctx, id, &name, &bytes))
}

#[tauri::command]
pub fn document_mark_signed(state: State<'_, AppState>, id: i64, signed_on: NaiveDate) -> Result<ArchivedDocument> {
    let ctx = state.ctx()?;
    state.with(|c| archive::mark_signed(c, &ctx, id, signed_on))
}

#[tauri::command]
pub fn act_registry(state: State<'_, AppState>, unsigned_only: bool) -> Result<Vec<ActRegistryRow>> {
    state.with(|c| archive::act_registry(c, unsigned_only))
}

/// All acts of the period into one PDF, archived, and its copy written to `path`; returns how many acts it holds.
#[tauri::command]
pub fn acts_batch_save(state: State<'_, AppState>, from: NaiveDate, to: NaiveDate, path: String) -> Result<usize> {
    let path = writable(&state, &path)?;
    let ctx = state.ctx()?;
    let (n, bytes) = state.with(|c| {
        let (n, doc) = archive::acts_batch(c, &ctx, from, to)?;
        Ok((n, archive::pdf(c, doc.id)?))
    })?;
    write(&path, &bytes)?;
    state.journal_output(
        "acts_batch",
        "",
        AuditAction::Export,
        serde_json::json!({"title": format!("Акты с {} по {}", from.format("%d.%m.%Y"), to.format("%d.%m.%Y")),
            "file": path.display().to_string(), "rows": n}),
    )?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// «Сохранить как…» writes the archived bytes where the native dialog pointed; an empty path
    /// or a folder that cannot be written gets a Russian message naming the file.
    #[test]
    fn a_copy_is_saved_where_asked_or_refused_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Соглашение 1-2025-С.pdf");
        write(&path, b"%PDF-1.7 test").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.7 test");
        let err = write(&dir.path().join("нет такой папки").join("x.pdf"), b"x").unwrap_err();
        assert!(
            err.message.starts_with("Не удалось записать") && err.message.contains("Выберите другую папку"),
            "{}",
            err.message
        );
    }
}
