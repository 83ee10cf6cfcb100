//! Commands of the «Реестр МСП ФНС» screen: importing the tax service's SME registry off the UI thread with progress events and cancellation, snapshots, lookups by INN.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tauri::{AppHandle, Emitter, State};

use crate::state::AppState;
use cpe_core::fns_registry::{self, FnsLookup, FnsSnapshot, ImportProgress, ImportSummary};
use cpe_core::{db, CoreError, ErrorCode, Result};

/// The event the UI listens to while an import runs; the payload is [`ImportProgress`].
pub const PROGRESS_EVENT: &str = "fns-import-progress";

/// The cancel flag of the running import, if one runs (one at a time).
#[derive(Default)]
pub struct ImportJob(Mutex<Option<Arc<AtomicBool>>>);

impl ImportJob {
    fn start(&self) -> Result<Arc<AtomicBool>> {
        let mut slot = self
            .0
            .lock()
            .map_err(|_| CoreError::storage("Внутренняя ошибка; перезапустите программу"))?;
        if slot.is_some() {
            return Err(CoreError::new(
                ErrorCode::Rule,
                "Загрузка реестра уже идёт: дождитесь её окончания или отмените",
            ));
        }
        let flag = Arc::new(AtomicBool::new(false));
        *slot = Some(flag.clone());
        Ok(flag)
    }

    fn finish(&self) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = None;
        }
    }
}

/// Imports the files into one snapshot. Runs on a blocking worker with its own connection, so
/// the window and the other screens keep working (SQLite in WAL mode lets them read meanwhile).
#[tauri::command]
pub async fn fns_import(
    app: AppHandle,
    state: State<'_, AppState>,
    job: State<'_, ImportJob>,
    paths: Vec<String>,
    regions: Vec<String>,
) -> Result<ImportSummary> {
    if let Some(e) = state.open_error() {
        return Err(e);
    }
    let paths: Vec<PathBuf> = paths
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .collect();
    if paths.is_empty() {
        return Err(CoreError::field(
            "paths",
            "Файл выгрузки: выберите архив ZIP или файл XML реестра МСП",
        ));
    }
    for p in &paths {
        crate::commands::dialog::check_read(&state, p)?;
    }
    // The job is registered first, so a cancel pressed while the copy below is made still counts.
    let cancel = job.start()?;
    // A copy before the registry replaces a snapshot (one per import, rotated with the others).
    let copied = state.ctx().and_then(|ctx| {
        state.with(|c| {
            cpe_core::backup::create(c, &state.data_dir, cpe_core::backup::BackupKind::BeforeImport, ctx.now)
        })?;
        Ok(ctx)
    });
    let ctx = match copied {
        Ok(ctx) => ctx,
        Err(e) => {
            job.finish();
            return Err(e);
        }
    };
    let data_dir = state.data_dir.clone();
    let worker_cancel = cancel.clone();
    let result = tauri::async_runtime::spawn_blocking(move || {
        let mut conn = db::open_in(&data_dir)?;
        let mut report = |p: &ImportProgress| {
            let _ = app.emit(PROGRESS_EVENT, p);
        };
        fns_registry::import(&mut conn, &ctx, &paths, &regions, &mut report, &worker_cancel)
    })
    .await
    .unwrap_or_else(|e| {
        Err(CoreError::storage(format!(
            "Загрузка прервалась из-за внутренней ошибки: {e}"
        )))
    });
    job.finish();
    result
}

/// Asks the running import to stop; it rolls back and leaves earlier snapshots as they were.
/// Returns whether an import was running.
#[tauri::command]
pub fn fns_import_cancel(job: State<'_, ImportJob>) -> bool {
    match job.0.lock().ok().and_then(|slot| slot.clone()) {
        Some(flag) => {
            flag.store(true, Ordering::Relaxed);
            true
        }
        None => false,
    }
}

#[tauri::command]
pub fn fns_snapshots(state: State<'_, AppState>) -> Result<Vec<FnsSnapshot>> {
    state.with(|c| fns_registry::list_snapshots(c))
}

#[tauri::command]
pub fn fns_snapshot_delete(state: State<'_, AppState>, id: i64) -> Result<()> {
    let ctx = state.ctx()?;
    state.with(|c| fns_registry::delete_snapshot(c, &ctx, id))
}

#[tauri::command]
pub fn fns_lookup(state: State<'_, AppState>, snapshot_id: i64, inn: String) -> Result<Option<FnsLookup>> {
    state.with(|c| fns_registry::lookup(c, snapshot_id, &inn))
}
