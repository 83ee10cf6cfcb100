//! Commands of the «Экспорт» section: the Central Bank's rates (import, list, manual entry, conversion), export contracts (live check, writes, lists), foreign buyers (card, search, export) and the reminder list with its printout.

use chrono::NaiveDate;
use tauri::State;

use crate::commands::dialog::{readable, writable};
use crate::state::AppState;
use cpe_core::audit::AuditAction;
use cpe_core::export_contract::{
    self, ExportContract, ExportContractCheck, ExportContractInput, ExportContractQuery, ExportReminder,
    ReminderContactInput, ReminderSettings, SupportOption,
};
use cpe_core::foreign_buyer::{self, BuyerCard, BuyerQuery, ForeignBuyer, ForeignBuyerInput};
use cpe_core::oksm::{self, Country, Currency};
use cpe_core::rates::{self, Conversion, CurrencyRate, ManualRateInput, RateImportReport, RateQuery};
use cpe_core::{money, CoreError, Result};

#[tauri::command]
pub fn oksm_countries() -> Vec<Country> {
    oksm::countries().to_vec()
}

#[tauri::command]
pub fn oksm_currencies() -> Vec<Currency> {
    oksm::currencies().to_vec()
}

/// Imports each file in turn; a file that cannot be read stops there (the files before it stay imported).
#[tauri::command]
pub fn rates_import(state: State<'_, AppState>, paths: Vec<String>, replace: bool) -> Result<Vec<RateImportReport>> {
    let ctx = state.ctx()?;
    state.with(|c| {
        paths
            .iter()
            .map(|p| rates::import_file(c, &ctx, &readable(&state, p)?, replace))
            .collect()
    })
}

#[tauri::command]
pub fn rates_list(state: State<'_, AppState>, query: RateQuery) -> Result<Vec<CurrencyRate>> {
    state.with(|c| rates::list(c, &query))
}

#[tauri::command]
pub fn rates_set_manual(state: State<'_, AppState>, input: ManualRateInput) -> Result<CurrencyRate> {
    let ctx = state.ctx()?;
    state.with(|c| rates::set_manual(c, &ctx, &input))
}

#[tauri::command]
pub fn rates_delete(state: State<'_, AppState>, date: NaiveDate, char_code: String) -> Result<()> {
    let ctx = state.ctx()?;
    state.with(|c| rates::delete(c, &ctx, date, &char_code))
}

#[tauri::command]
pub fn rates_convert(
    state: State<'_, AppState>,
    currency: String,
    date: NaiveDate,
    amount: String,
) -> Result<Conversion> {
    let amount = money::parse_decimal(&amount)
        .ok_or_else(|| CoreError::field("amount", format!("Сумма «{}»: укажите число", amount.trim())))?;
    state.with(|c| rates::convert(c, &currency, date, amount))
}

#[tauri::command]
pub fn export_contract_check(state: State<'_, AppState>, input: ExportContractInput) -> Result<ExportContractCheck> {
    state.with(|c| export_contract::check(c, &input))
}

#[tauri::command]
pub fn export_contract_add(state: State<'_, AppState>, input: ExportContractInput) -> Result<ExportContract> {
    let ctx = state.ctx()?;
    state.with(|c| export_contract::add(c, &ctx, &input))
}

/// One export contract as it is now (its form opens on it, after its journal mark).
#[tauri::command]
pub fn export_contract_get(state: State<'_, AppState>, id: i64) -> Result<ExportContract> {
    state.with(|c| export_contract::get(c, id))
}

/// `seen`: the record's journal mark when the form loaded it — a colleague's change since is refused
/// (`Db::save_seen`); none saves over it.
#[tauri::command]
pub fn export_contract_update(
    state: State<'_, AppState>,
    id: i64,
    input: ExportContractInput,
    seen: Option<i64>,
) -> Result<ExportContract> {
    let ctx = state.ctx()?;
    state.with(|c| {
        c.save_seen("export_contract", id, seen, |c| {
            export_contract::update(c, &ctx, id, &input)
        })
    })
}

#[tauri::command]
pub fn export_contract_cancel(state: State<'_, AppState>, id: i64, reason: String) -> Result<ExportContract> {
    let ctx = state.ctx()?;
    state.with(|c| export_contract::cancel(c, &ctx, id, &reason))
}

#[tauri::command]
pub fn export_contract_list(state: State<'_, AppState>, query: ExportContractQuery) -> Result<Vec<ExportContract>> {
    state.with(|c| export_contract::list(c, &query))
}

#[tauri::command]
pub fn export_support_options(state: State<'_, AppState>, sme_id: i64) -> Result<Vec<SupportOption>> {
    state.with(|c| export_contract::support_options(c, sme_id))
}

#[tauri::command]
pub fn buyer_list(state: State<'_, AppState>, query: BuyerQuery) -> Result<Vec<ForeignBuyer>> {
    state.with(|c| foreign_buyer::list(c, &query))
}

#[tauri::command]
pub fn buyer_card(state: State<'_, AppState>, id: i64) -> Result<BuyerCard> {
    state.with(|c| foreign_buyer::card(c, id))
}

#[tauri::command]
pub fn buyer_validate(input: ForeignBuyerInput) -> Vec<CoreError> {
    crate::guard::guard_list(|| foreign_buyer::validate(&input))
}

#[tauri::command]
pub fn buyer_add(state: State<'_, AppState>, input: ForeignBuyerInput) -> Result<ForeignBuyer> {
    let ctx = state.ctx()?;
    state.with(|c| foreign_buyer::add(c, &ctx, &input))
}

/// `seen`: the record's journal mark when the form loaded it — a colleague's change since is refused
/// (`Db::save_seen`); none saves over it.
#[tauri::command]
pub fn buyer_update(
    state: State<'_, AppState>,
    id: i64,
    input: ForeignBuyerInput,
    seen: Option<i64>,
) -> Result<ForeignBuyer> {
    let ctx = state.ctx()?;
    state.with(|c| {
        c.save_seen("foreign_buyer", id, seen, |c| {
            foreign_buyer::update(c, &ctx, id, &input)
        })
    })
}

#[tauri::command]
pub fn buyer_delete(state: State<'_, AppState>, id: i64) -> Result<()> {
    let ctx = state.ctx()?;
    state.with(|c| foreign_buyer::delete(c, &ctx, id))
}

#[tauri::command]
pub fn buyer_export(state: State<'_, AppState>, query: BuyerQuery, path: String) -> Result<u32> {
    let path = writable(&state, &path)?;
    let n = state.with(|c| foreign_buyer::export(c, &query, &path))?;
    state.journal_output(
        "buyer_list",
        "",
        AuditAction::Export,
        serde_json::json!({"title": "База иностранных покупателей", "file": path.display().to_string(), "rows": n}),
    )?;
    Ok(n)
}

/// The reminder list as of today (the shell's clock; the rule itself takes the day).
#[tauri::command]
pub fn export_reminders(state: State<'_, AppState>) -> Result<Vec<ExportReminder>> {
    let today = state.ctx()?.now.date();
    state.with(|c| {
        let s = export_contract::get_reminder_settings(c)?;
        export_contract::reminders(c, today, &s)
    })
}

#[tauri::command]
pub fn export_reminder_settings(state: State<'_, AppState>) -> Result<ReminderSettings> {
    state.with(|c| export_contract::get_reminder_settings(c))
}

#[tauri::command]
pub fn export_reminder_settings_save(
    state: State<'_, AppState>,
    settings: ReminderSettings,
) -> Result<ReminderSettings> {
    let ctx = state.ctx()?;
    state.with(|c| export_contract::save_reminder_settings(c, &ctx, &settings))
}

#[tauri::command]
pub fn export_reminder_contact(state: State<'_, AppState>, input: ReminderContactInput) -> Result<()> {
    let ctx = state.ctx()?;
    state.with(|c| export_contract::add_contact(c, &ctx, &input))
}

/// Writes the printable list to `path` (the user opens and prints it from the system viewer).
#[tauri::command]
pub fn export_reminders_pdf(state: State<'_, AppState>, path: String) -> Result<()> {
    let path = writable(&state, &path)?;
    let ctx = state.ctx()?;
    let bytes = state.with(|c| {
        let s = export_contract::get_reminder_settings(c)?;
        export_contract::reminders_pdf(c, ctx.now.date(), &s, ctx.now)
    })?;
    std::fs::write(&path, bytes).map_err(|e| {
        CoreError::field(
            "path",
            format!("Не удалось записать {}: {e}. Выберите другую папку", path.display()),
        )
    })?;
    state.journal_output(
        "export_reminders",
        "",
        AuditAction::Export,
        serde_json::json!({"title": "Напоминания об отчётах по экспортным контрактам", "file": path.display().to_string()}),
    )
}
