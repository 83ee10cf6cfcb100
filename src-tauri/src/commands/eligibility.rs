//! Commands of the eligibility panel of the SME card: the current verdict, the history of checks, a prefilled check and recording it.

use tauri::State;

use crate::state::AppState;
use cpe_core::eligibility::{self, Check, CheckInput, CurrentVerdict};
use cpe_core::Result;

#[tauri::command]
pub fn eligibility_current(state: State<'_, AppState>, sme_id: i64) -> Result<CurrentVerdict> {
    let today = chrono::Local::now().date_naive();
    state.with(|c| eligibility::current(c, sme_id, today))
}

#[tauri::command]
pub fn eligibility_history(state: State<'_, AppState>, sme_id: i64) -> Result<Vec<Check>> {
    state.with(|c| eligibility::history(c, sme_id))
}

#[tauri::command]
pub fn eligibility_prefill(state: State<'_, AppState>, sme_id: i64) -> Result<CheckInput> {
    state.with(|c| eligibility::prefill(c, sme_id))
}

#[tauri::command]
pub fn eligibility_record(state: State<'_, AppState>, input: CheckInput) -> Result<Check> {
    let ctx = state.ctx()?;
    state.with(|c| eligibility::record(c, &ctx, &input))
}
