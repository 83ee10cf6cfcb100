//! Commands of the settings screen: centre requisites and staff.

use tauri::State;

use crate::state::AppState;
use cpe_core::centre::{self, CentreSettings, Staff, StaffInput};
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
    let ctx = state.ctx();
    state.with(|c| centre::save(c, &ctx, &settings))
}

#[tauri::command]
pub fn staff_list(state: State<'_, AppState>) -> Result<Vec<Staff>> {
    state.with(|c| centre::staff_list(c))
}

#[tauri::command]
pub fn staff_add(state: State<'_, AppState>, input: StaffInput) -> Result<Staff> {
    let ctx = state.ctx();
    state.with(|c| centre::staff_add(c, &ctx, &input))
}

#[tauri::command]
pub fn staff_update(state: State<'_, AppState>, id: i64, input: StaffInput) -> Result<Staff> {
    let ctx = state.ctx();
    state.with(|c| centre::staff_update(c, &ctx, id, &input))
}
