//! Commands of «Главная» and «Отчёты»: the dashboard, the yearly report's figures and the records behind each, the quarterly monitoring, the registry of recipients, the demand analysis and its forecast, and saving or opening a report file.

use chrono::NaiveDate;
use tauri::State;

use crate::commands::dialog::writable;
use crate::commands::documents::{open_in_viewer, write};
use crate::state::AppState;
use cpe_core::audit::AuditAction;
use cpe_core::report::dashboard::{self, Dashboard};
use cpe_core::report::demand::{self, DemandAnalysis, ForecastInput};
use cpe_core::report::quarterly::{self, QuarterlyReport};
use cpe_core::report::recipients::{self, RecipientRegistry};
use cpe_core::report::trace::{self, Figure, TraceList};
use cpe_core::report::yearly::{self, YearlyReport};
use cpe_core::report::{self, ReportFormat, ReportRequest};
use cpe_core::Result;

/// The home screen as of today.
#[tauri::command]
pub fn report_dashboard(state: State<'_, AppState>) -> Result<Dashboard> {
    let today = state.ctx()?.now.date();
    state.with(|c| dashboard::dashboard(c, today))
}

#[tauri::command]
pub fn report_yearly(state: State<'_, AppState>, year: i32) -> Result<YearlyReport> {
    state.with(|c| yearly::yearly(c, year))
}

/// Quarterly monitoring (000 §4) of a quarter of `year`.
#[tauri::command]
pub fn report_quarterly(state: State<'_, AppState>, year: i32, quarter: u32) -> Result<QuarterlyReport> {
    state.with(|c| quarterly::quarterly(c, year, quarter))
}

#[tauri::command]
pub fn report_trace(state: State<'_, AppState>, year: i32, figure: Figure) -> Result<TraceList> {
    state.with(|c| trace::trace(c, year, &figure))
}

#[tauri::command]
pub fn report_recipients(state: State<'_, AppState>, from: NaiveDate, to: NaiveDate) -> Result<RecipientRegistry> {
    state.with(|c| recipients::registry(c, from, to))
}

/// Saves the region's KPI targets of a year (standard 2.0 §6); the yearly report and the
/// dashboard carry them.
#[tauri::command]
pub fn report_targets_save(
    state: State<'_, AppState>,
    targets: cpe_core::report::targets::KpiTargets,
) -> Result<cpe_core::report::targets::KpiTargets> {
    let ctx = state.ctx()?;
    state.with(|c| cpe_core::report::targets::save(c, &ctx, &targets))
}

/// «Перенести в смету»: the forecast becomes the planned year's budget lines.
#[tauri::command]
pub fn report_demand_to_budget(state: State<'_, AppState>, year: i32) -> Result<cpe_core::budget::Budget> {
    let ctx = state.ctx()?;
    state.with(|c| demand::to_budget(c, &ctx, year))
}

#[tauri::command]
pub fn report_demand(state: State<'_, AppState>, year: i32) -> Result<DemandAnalysis> {
    state.with(|c| demand::analysis(c, year))
}

#[tauri::command]
pub fn report_forecast_save(state: State<'_, AppState>, input: ForecastInput) -> Result<DemandAnalysis> {
    let ctx = state.ctx()?;
    state.with(|c| demand::save_forecast(c, &ctx, &input))
}

/// The file name to offer in the save dialog.
#[tauri::command]
pub fn report_file_name(request: ReportRequest, format: ReportFormat) -> String {
    request.file_name(format)
}

/// Writes the report to the file the user chose.
#[tauri::command]
pub fn report_save(
    state: State<'_, AppState>,
    request: ReportRequest,
    format: ReportFormat,
    path: String,
) -> Result<()> {
    let path = writable(&state, &path)?;
    let now = state.ctx()?.now;
    let bytes = state.with(|c| report::bytes(c, &request, format, now))?;
    write(&path, &bytes)?;
    state.journal_output(
        "report",
        "",
        AuditAction::Export,
        serde_json::json!({"title": request.file_name(format), "file": path.display().to_string()}),
    )
}

/// Writes the report to a temporary file and opens it in the system's viewer.
#[tauri::command]
pub fn report_open(state: State<'_, AppState>, request: ReportRequest, format: ReportFormat) -> Result<()> {
    let now = state.ctx()?.now;
    let bytes = state.with(|c| report::bytes(c, &request, format, now))?;
    let path = crate::handoff::write(&request.file_name(format), &bytes)?;
    open_in_viewer(&path)
}
