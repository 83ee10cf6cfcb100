//! Commands of the «Заявки», «Консультации» and «Исполнители» screens: thin conversions into the core's application and contractor calls.

use chrono::NaiveDate;
use tauri::State;

use crate::state::AppState;
use cpe_core::application::{
    self, Application, ApplicationDeadline, ApplicationInput, ApplicationStatus, ApplicationSummary, DeadlineAlert,
    DeadlineSettings, TransitionInput,
};
use cpe_core::consultation::{self, Consultation, ConsultationInput, ConsultationQuery, Recorded};
use cpe_core::contractor::{
    self, ContractInput, Contractor, ContractorContract, ContractorInput, GroupDeclaration, PairDeclaration,
};
use cpe_core::payment::{self, OverduePayment};
use cpe_core::{CoreError, Result};

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

#[tauri::command]
pub fn application_list(
    state: State<'_, AppState>,
    status: Option<ApplicationStatus>,
    sme_id: Option<i64>,
) -> Result<Vec<ApplicationSummary>> {
    state.with(|c| application::list(c, status, sme_id))
}

#[tauri::command]
pub fn application_get(state: State<'_, AppState>, id: i64) -> Result<Application> {
    state.with(|c| application::get(c, id))
}

#[tauri::command]
pub fn application_add(state: State<'_, AppState>, input: ApplicationInput) -> Result<Application> {
    let ctx = state.ctx()?;
    state.with(|c| application::add(c, &ctx, &input))
}

#[tauri::command]
pub fn application_transition(state: State<'_, AppState>, id: i64, input: TransitionInput) -> Result<Application> {
    let ctx = state.ctx()?;
    state.with(|c| application::transition(c, &ctx, id, &input))
}

#[tauri::command]
pub fn application_set_document(
    state: State<'_, AppState>,
    id: i64,
    position: u32,
    received_on: Option<NaiveDate>,
) -> Result<Application> {
    let ctx = state.ctx()?;
    state.with(|c| application::set_document(c, &ctx, id, position, received_on))
}

/// «Просрочено / скоро срок»: application deadlines as of today.
#[tauri::command]
pub fn application_alerts(state: State<'_, AppState>) -> Result<Vec<DeadlineAlert>> {
    state.with(|c| application::deadline_alerts(c, today()))
}

/// The card's deadline as of today (`None` when the status has none).
#[tauri::command]
pub fn application_deadline(state: State<'_, AppState>, id: i64) -> Result<Option<ApplicationDeadline>> {
    state.with(|c| application::deadline_of(c, id, today()))
}

#[tauri::command]
pub fn deadline_settings_get(state: State<'_, AppState>) -> Result<DeadlineSettings> {
    state.with(|c| application::get_deadlines(c))
}

#[tauri::command]
pub fn deadline_settings_save(state: State<'_, AppState>, settings: DeadlineSettings) -> Result<DeadlineSettings> {
    let ctx = state.ctx()?;
    state.with(|c| application::save_deadlines(c, &ctx, &settings))
}

/// Overdue payments of the SMEs' shares as of today.
#[tauri::command]
pub fn payment_overdue(state: State<'_, AppState>) -> Result<Vec<OverduePayment>> {
    state.with(|c| payment::overdue(c, today()))
}

#[tauri::command]
pub fn contractor_list(state: State<'_, AppState>) -> Result<Vec<Contractor>> {
    state.with(|c| contractor::list(c))
}

#[tauri::command]
pub fn contractor_validate(input: ContractorInput) -> Vec<CoreError> {
    crate::guard::guard_list(|| contractor::validate(&input))
}

#[tauri::command]
pub fn contractor_add(state: State<'_, AppState>, input: ContractorInput) -> Result<Contractor> {
    let ctx = state.ctx()?;
    state.with(|c| contractor::add(c, &ctx, &input))
}

/// One contractor as it is now (a form opens on it, after its journal mark).
#[tauri::command]
pub fn contractor_get(state: State<'_, AppState>, id: i64) -> Result<Contractor> {
    state.with(|c| contractor::get(c, id))
}

/// `seen`: the record's journal mark when the form loaded it — a colleague's change since is refused
/// (`Db::save_seen`); none saves over it.
#[tauri::command]
pub fn contractor_update(
    state: State<'_, AppState>,
    id: i64,
    input: ContractorInput,
    seen: Option<i64>,
) -> Result<Contractor> {
    let ctx = state.ctx()?;
    state.with(|c| c.save_seen("contractor", id, seen, |c| contractor::update(c, &ctx, id, &input)))
}

#[tauri::command]
pub fn contractor_contracts(state: State<'_, AppState>, contractor_id: i64) -> Result<Vec<ContractorContract>> {
    state.with(|c| contractor::contracts(c, contractor_id))
}

#[tauri::command]
pub fn contractor_add_contract(state: State<'_, AppState>, input: ContractInput) -> Result<ContractorContract> {
    let ctx = state.ctx()?;
    state.with(|c| contractor::add_contract(c, &ctx, &input))
}

#[tauri::command]
pub fn agreement_group_declarations(state: State<'_, AppState>, agreement_id: i64) -> Result<Vec<PairDeclaration>> {
    state.with(|c| contractor::pair_declarations(c, agreement_id))
}

#[tauri::command]
pub fn group_declaration_record(
    state: State<'_, AppState>,
    sme_id: i64,
    contractor_id: i64,
    declared_on: NaiveDate,
) -> Result<GroupDeclaration> {
    let ctx = state.ctx()?;
    state.with(|c| contractor::record_group_declaration(c, &ctx, sme_id, contractor_id, declared_on))
}

/// The consultations journal (rows 1, 2, 3.x), newest first.
#[tauri::command]
pub fn consultation_list(state: State<'_, AppState>, query: ConsultationQuery) -> Result<Vec<Consultation>> {
    state.with(|c| consultation::list(c, &query))
}

#[tauri::command]
pub fn consultation_add(state: State<'_, AppState>, input: ConsultationInput) -> Result<Recorded> {
    let ctx = state.ctx()?;
    state.with(|c| consultation::add(c, &ctx, &input))
}
