//! Commands of the production calendar in «Настройки»: the years in use, a year's days, importing a year from a file the user chose and editing single days — thin conversions into `cpe_core::calendar`.

use chrono::NaiveDate;
use tauri::State;

use crate::state::AppState;
use cpe_core::calendar::{self, CalendarDay, CalendarYearInfo, DayEdit, DayKind};
use cpe_core::Result;

#[tauri::command]
pub fn calendar_years(state: State<'_, AppState>) -> Result<Vec<CalendarYearInfo>> {
    state.with(|c| Ok(calendar::load(c)?.years()))
}

/// One year with its source and every day; a year the calendar lacks is the core's
/// «нет производственного календаря на N год».
#[tauri::command]
pub fn calendar_year(state: State<'_, AppState>, year: i32) -> Result<(CalendarYearInfo, Vec<CalendarDay>)> {
    state.with(|c| {
        let cal = calendar::load(c)?;
        Ok((cal.year_info(year)?.clone(), cal.days(year)?))
    })
}

#[tauri::command]
pub fn calendar_import(state: State<'_, AppState>, path: String) -> Result<CalendarYearInfo> {
    let path = crate::commands::dialog::readable(&state, &path)?;
    let ctx = state.ctx()?;
    state.with(|c| calendar::import_file(c, &ctx, &path))
}

#[tauri::command]
pub fn calendar_set_day(state: State<'_, AppState>, date: NaiveDate, kind: DayKind, note: String) -> Result<DayEdit> {
    let ctx = state.ctx()?;
    state.with(|c| calendar::set_day(c, &ctx, date, kind, &note))
}

#[tauri::command]
pub fn calendar_clear_day(state: State<'_, AppState>, date: NaiveDate) -> Result<()> {
    let ctx = state.ctx()?;
    state.with(|c| calendar::clear_day(c, &ctx, date))
}
