//! Commands of the SME registry screens.

use tauri::State;

use crate::state::AppState;
use cpe_core::sme::personal_data::{self, PersonalDataStatus};
use cpe_core::sme::{self, Sme, SmeInput, SmePage, SmeQuery};
use cpe_core::{CoreError, Result};

#[tauri::command]
pub fn sme_list(state: State<'_, AppState>, mut query: SmeQuery) -> Result<SmePage> {
    // The verdict filter judges staleness as of today.
    query.as_of = Some(chrono::Local::now().date_naive());
    state.with(|c| match state.sme_search.lock() {
        Ok(mut kept) => kept.list(c, &query),
        // A panic elsewhere poisoned the kept matches: find them afresh.
        Err(_) => sme::list(c, &query),
    })
}

#[tauri::command]
pub fn sme_get(state: State<'_, AppState>, id: i64) -> Result<Sme> {
    state.with(|c| sme::get(c, id))
}

#[tauri::command]
pub fn sme_validate(input: SmeInput) -> Vec<CoreError> {
    crate::guard::guard_list(|| sme::validate(&input, chrono::Local::now().date_naive()))
}

#[tauri::command]
pub fn sme_add(state: State<'_, AppState>, input: SmeInput) -> Result<Sme> {
    let ctx = state.ctx()?;
    state.with(|c| sme::add(c, &ctx, &input))
}

#[tauri::command]
pub fn sme_update(state: State<'_, AppState>, id: i64, input: SmeInput, seen: Option<i64>) -> Result<Sme> {
    let ctx = state.ctx()?;
    state.with(|c| c.save_seen("sme", id, seen, |c| sme::update(c, &ctx, id, &input)))
}

/// 152-ФЗ on the SME card: consent, a request to stop processing, whether the data can be erased.
#[tauri::command]
pub fn sme_pd_status(state: State<'_, AppState>, id: i64) -> Result<PersonalDataStatus> {
    let today = state.ctx()?.now.date();
    state.with(|c| personal_data::status(c, id, today))
}

#[tauri::command]
pub fn sme_pd_withdraw(state: State<'_, AppState>, id: i64, on: chrono::NaiveDate) -> Result<PersonalDataStatus> {
    let ctx = state.ctx()?;
    state.with(|c| personal_data::withdraw(c, &ctx, id, on))
}

#[tauri::command]
pub fn sme_pd_erase(state: State<'_, AppState>, id: i64) -> Result<PersonalDataStatus> {
    let ctx = state.ctx()?;
    state.with(|c| personal_data::erase(c, &ctx, id))
}
