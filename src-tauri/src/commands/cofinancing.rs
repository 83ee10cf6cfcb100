//! Commands of the «Каталог услуг», «Смета» and «Расчёт софинансирования» screens: thin conversions into the core's catalog, budget and cofinancing calls.

use chrono::NaiveDate;
use tauri::State;

use crate::state::AppState;
use cpe_core::budget::{self, BudgetStatus};
use cpe_core::catalog::{self, CatalogVersionSummary, CatalogView, ItemTermsEdit, ServiceCatalog};
use cpe_core::cofinancing::{self, Calculation, CalculatorRequest, CofinancingSettings};
use cpe_core::{money, CoreError, Result};

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A typed amount's problem, under its field.
fn unreadable(field: &'static str, label: &'static str) -> impl FnOnce(String) -> CoreError {
    move |reason| CoreError::field(field, format!("{label}: {reason}"))
}

#[tauri::command]
pub fn catalog_versions(state: State<'_, AppState>) -> Result<Vec<CatalogVersionSummary>> {
    state.with(|c| catalog::list_versions(c))
}

#[tauri::command]
pub fn catalog_view(state: State<'_, AppState>, id: i64) -> Result<CatalogView> {
    state.with(|c| catalog::view(c, id, today()))
}

/// The catalog in force on `date` (the calculator's list of services).
#[tauri::command]
pub fn catalog_for_date(state: State<'_, AppState>, date: NaiveDate) -> Result<ServiceCatalog> {
    state.with(|c| catalog::version_for(c, date))
}

#[tauri::command]
pub fn catalog_create_version(
    state: State<'_, AppState>,
    from_id: i64,
    effective_from: NaiveDate,
    title: String,
) -> Result<ServiceCatalog> {
    let ctx = state.ctx()?;
    state.with(|c| catalog::create_version(c, &ctx, from_id, effective_from, &title))
}

#[tauri::command]
pub fn catalog_item_validate(edit: ItemTermsEdit) -> Vec<CoreError> {
    crate::guard::guard_list(|| catalog::validate_item_terms(&edit))
}

#[tauri::command]
pub fn catalog_item_save(
    state: State<'_, AppState>,
    id: i64,
    item_code: String,
    edit: ItemTermsEdit,
) -> Result<ServiceCatalog> {
    let ctx = state.ctx()?;
    state.with(|c| catalog::edit_item(c, &ctx, id, &item_code, &edit))
}

/// Settings → «Правила софинансирования»: the readings of the regulation the centre may change.
#[tauri::command]
pub fn cofinancing_settings(state: State<'_, AppState>) -> Result<CofinancingSettings> {
    state.with(|c| cofinancing::get_settings(c))
}

#[tauri::command]
pub fn cofinancing_settings_save(
    state: State<'_, AppState>,
    settings: CofinancingSettings,
) -> Result<CofinancingSettings> {
    let ctx = state.ctx()?;
    state.with(|c| cofinancing::save_settings(c, &ctx, &settings))
}

#[tauri::command]
pub fn budget_show(state: State<'_, AppState>, year: i32) -> Result<BudgetStatus> {
    state.with(|c| budget::show(c, year))
}

/// Sets one catalog row's amount, typed as staff write it (`5 000 000`, `5000000,00`).
#[tauri::command]
pub fn budget_set_line(
    state: State<'_, AppState>,
    year: i32,
    service_code: String,
    amount: String,
) -> Result<BudgetStatus> {
    let value = money::parse_rub(&amount).map_err(unreadable("amount", "Сумма сметы"))?;
    let ctx = state.ctx()?;
    state.with(|c| {
        budget::set_line(c, &ctx, year, &service_code, value)?;
        budget::show(c, year)
    })
}

/// Sets the year's total; an empty text makes it the sum of the lines.
#[tauri::command]
pub fn budget_set_total(state: State<'_, AppState>, year: i32, total: String) -> Result<BudgetStatus> {
    let value = match total.trim() {
        "" => None,
        t => Some(money::parse_rub(t).map_err(unreadable("total", "Итог сметы"))?),
    };
    let ctx = state.ctx()?;
    state.with(|c| {
        budget::set_total(c, &ctx, year, value)?;
        budget::show(c, year)
    })
}

#[tauri::command]
pub fn cofinancing_calculate(state: State<'_, AppState>, request: CalculatorRequest) -> Result<Calculation> {
    state.with(|c| cofinancing::calculate(c, &request, today()))
}
