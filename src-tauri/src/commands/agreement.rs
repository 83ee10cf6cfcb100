//! Commands of the «Соглашения» screen: agreements, their acts and payments, as thin conversions into the core.

use chrono::NaiveDate;
use tauri::State;

use crate::state::AppState;
use cpe_core::act::{self, Act, ActInput};
use cpe_core::agreement::{self, Agreement, AgreementInput, AgreementStatus, AgreementSummary, AmendmentInput};
use cpe_core::payment::{self, ExpectedPayment, Payment, PaymentInput};
use cpe_core::Result;

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

#[tauri::command]
pub fn agreement_list(
    state: State<'_, AppState>,
    status: Option<AgreementStatus>,
    sme_id: Option<i64>,
) -> Result<Vec<AgreementSummary>> {
    state.with(|c| agreement::list(c, status, sme_id))
}

#[tauri::command]
pub fn agreement_get(state: State<'_, AppState>, id: i64) -> Result<Agreement> {
    state.with(|c| agreement::get(c, id))
}

#[tauri::command]
pub fn agreement_create(state: State<'_, AppState>, input: AgreementInput) -> Result<Agreement> {
    let ctx = state.ctx()?;
    state.with(|c| agreement::create(c, &ctx, &input))
}

/// Changes a draft (its items, amounts, contractors, schedule, stages); a signed agreement refuses.
/// `seen`: the record's journal mark when the form loaded it — a colleague's change since is refused
/// (`Db::save_seen`); none saves over it.
#[tauri::command]
pub fn agreement_update_draft(
    state: State<'_, AppState>,
    id: i64,
    input: AgreementInput,
    seen: Option<i64>,
) -> Result<Agreement> {
    let ctx = state.ctx()?;
    state.with(|c| c.save_seen("agreement", id, seen, |c| agreement::update_draft(c, &ctx, id, &input)))
}

/// Signing: `signed_on` is the day the centre received the original signed by the SME.
#[tauri::command]
pub fn agreement_sign(state: State<'_, AppState>, id: i64, signed_on: NaiveDate) -> Result<Agreement> {
    let ctx = state.ctx()?;
    state.with(|c| agreement::sign(c, &ctx, id, signed_on))
}

/// Signs by the head's decision a draft the centre could refuse only under §6.1.5.
#[tauri::command]
pub fn agreement_sign_by_decision(
    state: State<'_, AppState>,
    id: i64,
    signed_on: NaiveDate,
    reason: String,
) -> Result<Agreement> {
    let ctx = state.ctx()?;
    state.with(|c| agreement::sign_by_decision(c, &ctx, id, signed_on, &reason))
}

#[tauri::command]
pub fn agreement_start(state: State<'_, AppState>, id: i64) -> Result<Agreement> {
    let ctx = state.ctx()?;
    state.with(|c| agreement::start(c, &ctx, id))
}

#[tauri::command]
pub fn agreement_terminate(state: State<'_, AppState>, id: i64, on: NaiveDate, reason: String) -> Result<Agreement> {
    let ctx = state.ctx()?;
    state.with(|c| agreement::terminate(c, &ctx, id, on, &reason))
}

/// A supplementary agreement: the engine checks the new money terms before anything is saved.
#[tauri::command]
pub fn agreement_amend(state: State<'_, AppState>, id: i64, input: AmendmentInput) -> Result<Agreement> {
    let ctx = state.ctx()?;
    state.with(|c| agreement::amend(c, &ctx, id, &input))
}

#[tauri::command]
pub fn agreement_number_pattern(state: State<'_, AppState>) -> Result<String> {
    state.with(|c| agreement::get_number_pattern(c))
}

/// The first number of `year` under `pattern`, or why the pattern is wrong (as typed, before saving).
#[tauri::command]
pub fn agreement_number_preview(pattern: String, year: i32) -> Result<String> {
    crate::guard::guard(|| agreement::preview_number(&pattern, year))?
}

#[tauri::command]
pub fn agreement_number_pattern_save(state: State<'_, AppState>, pattern: String) -> Result<String> {
    let ctx = state.ctx()?;
    state.with(|c| agreement::set_number_pattern(c, &ctx, &pattern))
}

#[tauri::command]
pub fn act_list(state: State<'_, AppState>, agreement_id: i64) -> Result<Vec<Act>> {
    state.with(|c| act::list(c, agreement_id))
}

#[tauri::command]
pub fn act_add(state: State<'_, AppState>, input: ActInput) -> Result<Act> {
    let ctx = state.ctx()?;
    state.with(|c| act::add(c, &ctx, &input))
}

#[tauri::command]
pub fn act_sign(state: State<'_, AppState>, id: i64, signed_on: NaiveDate) -> Result<Act> {
    let ctx = state.ctx()?;
    state.with(|c| act::sign(c, &ctx, id, signed_on))
}

#[tauri::command]
pub fn payment_list(state: State<'_, AppState>, agreement_id: i64) -> Result<Vec<Payment>> {
    state.with(|c| payment::list(c, agreement_id))
}

#[tauri::command]
pub fn payment_expected(state: State<'_, AppState>, agreement_id: i64) -> Result<Vec<ExpectedPayment>> {
    state.with(|c| payment::expected(c, agreement_id, today()))
}

#[tauri::command]
pub fn payment_add(state: State<'_, AppState>, input: PaymentInput) -> Result<Payment> {
    let ctx = state.ctx()?;
    state.with(|c| payment::add(c, &ctx, &input))
}

/// §6.1.4 in one action for an agreement with an overdue payment.
#[tauri::command]
pub fn payment_refuse_overdue(state: State<'_, AppState>, agreement_id: i64) -> Result<Agreement> {
    let ctx = state.ctx()?;
    state.with(|c| payment::refuse_for_nonpayment(c, &ctx, agreement_id, today()))
}
