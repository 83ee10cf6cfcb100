//! Commands of the settings screen: the centre's requisites, staff accounts (the head's), the table of rights and the idle lock.

use tauri::State;

use crate::state::AppState;
use cpe_core::centre::{self, CentreSettings};
use cpe_core::staff::{self, rights, Staff, StaffInput};
use cpe_core::{CoreError, Result};

#[tauri::command]
pub fn centre_get(state: State<'_, AppState>) -> Result<CentreSettings> {
    state.with(|c| centre::get(c))
}

#[tauri::command]
pub fn centre_validate(settings: CentreSettings) -> Vec<CoreError> {
    crate::guard::guard_list(|| centre::validate(&settings))
}

#[tauri::command]
pub fn centre_save(state: State<'_, AppState>, settings: CentreSettings) -> Result<CentreSettings> {
    let ctx = state.ctx()?;
    state.with(|c| centre::save(c, &ctx, &settings))
}

#[tauri::command]
pub fn staff_list(state: State<'_, AppState>) -> Result<Vec<Staff>> {
    state.with(|c| staff::list(c))
}

/// Adds a staff member; `password`, when given, is the first one (changed at the first login).
#[tauri::command]
pub fn staff_add(state: State<'_, AppState>, input: StaffInput, password: Option<String>) -> Result<Staff> {
    let ctx = state.ctx()?;
    state.with(|c| staff::add(c, &ctx, &input, password.as_deref().filter(|p| !p.is_empty())))
}

#[tauri::command]
pub fn staff_update(state: State<'_, AppState>, id: i64, input: StaffInput) -> Result<Staff> {
    let ctx = state.ctx()?;
    state.with(|c| staff::update(c, &ctx, id, &input))
}

#[tauri::command]
pub fn staff_reset_password(state: State<'_, AppState>, id: i64, password: String) -> Result<Staff> {
    let ctx = state.ctx()?;
    state.with(|c| staff::reset_password(c, &ctx, id, &password))
}

#[tauri::command]
pub fn rights_table() -> Vec<rights::RightRow> {
    rights::table()
}

#[tauri::command]
pub fn idle_lock_set(state: State<'_, AppState>, minutes: u32) -> Result<u32> {
    let ctx = state.ctx()?;
    state.with(|c| staff::set_idle_lock_minutes(c, &ctx, minutes))
}
