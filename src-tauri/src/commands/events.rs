//! Commands of the «Мероприятия» screen: seminars and master classes of rows 4.1.x, their participants, attendance marks and a participant list read from the file the user picked.

use tauri::State;

use crate::commands::dialog::readable;
use crate::state::AppState;
use cpe_core::event::{self, participants, Event, EventInput, EventQuery, EventStatus, Participant, ParticipantImport};
use cpe_core::Result;

#[tauri::command]
pub fn event_list(state: State<'_, AppState>, query: EventQuery) -> Result<Vec<Event>> {
    state.with(|c| event::list(c, &query))
}

#[tauri::command]
pub fn event_get(state: State<'_, AppState>, id: i64) -> Result<Event> {
    state.with(|c| event::get(c, id))
}

#[tauri::command]
pub fn event_participants(state: State<'_, AppState>, id: i64) -> Result<Vec<Participant>> {
    state.with(|c| participants::participants(c, id))
}

#[tauri::command]
pub fn event_add(state: State<'_, AppState>, input: EventInput) -> Result<Event> {
    let ctx = state.ctx()?;
    state.with(|c| event::add(c, &ctx, &input))
}

/// `seen`: the record's journal mark when the form loaded it — a colleague's change since is refused
/// (`Db::save_seen`); none saves over it.
#[tauri::command]
pub fn event_update(state: State<'_, AppState>, id: i64, input: EventInput, seen: Option<i64>) -> Result<Event> {
    let ctx = state.ctx()?;
    state.with(|c| c.save_seen("event", id, seen, |c| event::update(c, &ctx, id, &input)))
}

#[tauri::command]
pub fn event_set_status(state: State<'_, AppState>, id: i64, status: EventStatus) -> Result<Event> {
    let ctx = state.ctx()?;
    state.with(|c| event::set_status(c, &ctx, id, status))
}

#[tauri::command]
pub fn event_participant_add(
    state: State<'_, AppState>,
    id: i64,
    sme_id: i64,
    attendee: String,
) -> Result<Participant> {
    let ctx = state.ctx()?;
    state.with(|c| event::add_participant(c, &ctx, id, sme_id, &attendee))
}

#[tauri::command]
pub fn event_participant_remove(state: State<'_, AppState>, participant_id: i64) -> Result<()> {
    let ctx = state.ctx()?;
    state.with(|c| event::remove_participant(c, &ctx, participant_id))
}

#[tauri::command]
pub fn event_attendance(state: State<'_, AppState>, participant_id: i64, attended: bool) -> Result<Participant> {
    let ctx = state.ctx()?;
    state.with(|c| event::mark_attendance(c, &ctx, participant_id, attended))
}

/// Reads the list of participants from the file chosen in the open dialog and registers them.
#[tauri::command]
pub fn event_import(state: State<'_, AppState>, id: i64, path: String) -> Result<ParticipantImport> {
    let path = readable(&state, &path)?;
    let ctx = state.ctx()?;
    let table = cpe_core::sme::import_table::read_table(&path)?;
    state.with(|c| event::import_participants(c, &ctx, id, &table))
}

#[tauri::command]
pub fn event_agreements(state: State<'_, AppState>, id: i64) -> Result<Vec<event::EventAgreement>> {
    state.with(|c| event::agreements(c, id))
}

/// Signs every draft of the event's participants together (5.4–5.9), on the day the originals came.
#[tauri::command]
pub fn event_sign(
    state: State<'_, AppState>,
    id: i64,
    received: chrono::NaiveDate,
) -> Result<Vec<cpe_core::agreement::Agreement>> {
    let ctx = state.ctx()?;
    state.with(|c| cpe_core::agreement::sign_event(c, &ctx, id, received))
}

#[tauri::command]
pub fn event_plan(state: State<'_, AppState>, year: i32) -> Result<event::plan::PlanProgress> {
    let today = chrono::Local::now().date_naive();
    state.with(|c| event::plan::progress(c, year, today))
}

#[tauri::command]
pub fn selection_list(state: State<'_, AppState>, event_id: i64) -> Result<Vec<cpe_core::selection::Selection>> {
    state.with(|c| cpe_core::selection::for_event(c, event_id))
}

#[tauri::command]
pub fn selection_add(
    state: State<'_, AppState>,
    input: cpe_core::selection::SelectionInput,
) -> Result<cpe_core::selection::Selection> {
    let ctx = state.ctx()?;
    state.with(|c| cpe_core::selection::add(c, &ctx, &input))
}

#[tauri::command]
pub fn selection_apply(
    state: State<'_, AppState>,
    id: i64,
    sme_id: i64,
    submitted_on: chrono::NaiveDate,
) -> Result<cpe_core::selection::Candidate> {
    let ctx = state.ctx()?;
    state.with(|c| cpe_core::selection::apply(c, &ctx, id, sme_id, submitted_on))
}

#[tauri::command]
pub fn selection_score(
    state: State<'_, AppState>,
    application_id: i64,
    scores: Vec<u32>,
) -> Result<cpe_core::selection::Candidate> {
    let ctx = state.ctx()?;
    state.with(|c| cpe_core::selection::score(c, &ctx, application_id, &scores))
}

#[tauri::command]
pub fn selection_decide(
    state: State<'_, AppState>,
    id: i64,
    protocol_number: String,
    decided_on: chrono::NaiveDate,
) -> Result<cpe_core::selection::Selection> {
    let ctx = state.ctx()?;
    state.with(|c| cpe_core::selection::decide(c, &ctx, id, &protocol_number, decided_on))
}

/// The protocol of the selection a business won at an exhibition, if any (§5.5.4).
#[tauri::command]
pub fn selection_won(state: State<'_, AppState>, event_id: i64, sme_id: i64) -> Result<Option<String>> {
    state.with(|c| cpe_core::selection::won(c, event_id, sme_id))
}

/// Approved applications of the event's service without an agreement yet.
#[tauri::command]
pub fn event_bulk_candidates(state: State<'_, AppState>, id: i64) -> Result<Vec<cpe_core::application::Application>> {
    state.with(|c| event::bulk::candidates(c, id))
}

/// The engine's verdict per participant before the agreements are made.
#[tauri::command]
pub fn event_bulk_preview(
    state: State<'_, AppState>,
    input: event::bulk::BulkInput,
) -> Result<Vec<event::bulk::BulkLine>> {
    let today = chrono::Local::now().date_naive();
    state.with(|c| event::bulk::preview(c, &input, today))
}

/// Makes the participants' drafts together.
#[tauri::command]
pub fn event_bulk_make(
    state: State<'_, AppState>,
    input: event::bulk::BulkInput,
) -> Result<Vec<cpe_core::agreement::Agreement>> {
    let ctx = state.ctx()?;
    state.with(|c| event::bulk::make(c, &ctx, &input))
}

/// The act each participant's agreement would get on `date`, and what stands in the way.
#[tauri::command]
pub fn event_acts_preview(
    state: State<'_, AppState>,
    id: i64,
    date: chrono::NaiveDate,
) -> Result<Vec<event::acts::ActLine>> {
    state.with(|c| event::acts::preview(c, id, date))
}

/// Makes the participants' acts together.
#[tauri::command]
pub fn event_acts_make(state: State<'_, AppState>, input: event::acts::ActsInput) -> Result<Vec<cpe_core::act::Act>> {
    let ctx = state.ctx()?;
    state.with(|c| event::acts::make(c, &ctx, &input))
}
