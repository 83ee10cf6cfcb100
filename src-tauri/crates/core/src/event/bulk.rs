//! Participants' agreements made from the event in one action: the approved applications of the event's service still without an agreement, the same items and amounts for each, a preview of the cofinancing engine's verdict per business (the batch counted as participants), and the drafts created together — all or none.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::agreement::{self, AgreementInput, AgreementItemInput, PlannedPayment};
use crate::application::Application;
use crate::audit::Ctx;
use crate::cofinancing::{Proposal, ProposedItem};
use crate::db::Db;
use crate::error::{CoreError, Result};
use crate::staff::Right;

/// What the centre fills in once for every participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkInput {
    pub event_id: i64,
    /// The approved applications to make agreements for.
    pub application_ids: Vec<i64>,
    /// The agreements' date.
    pub date: NaiveDate,
    /// Cost and SME share per item code; each agreement takes the items its application asks for.
    pub items: Vec<AgreementItemInput>,
    /// The day each SME pays its share by (one payment), when it has one.
    pub due_on: Option<NaiveDate>,
    /// The service's format (5.7).
    #[serde(default)]
    pub format: Option<String>,
    /// The SMEs declared they received no subsidy for the same purpose.
    #[serde(default)]
    pub declaration_signed: bool,
}

/// The engine's verdict on one business's agreement before it is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkLine {
    pub application_id: i64,
    pub sme_id: i64,
    pub sme_name: String,
    pub inn: String,
    pub item_codes: Vec<String>,
    /// Nothing stands in the way of signing once the batch is made.
    pub signable: bool,
    /// What the engine or the form refuses, in Russian, with the paragraph.
    pub problems: Vec<String>,
}

/// Approved applications of the event's service without an agreement yet, oldest first.
pub fn candidates(conn: &Db, event_id: i64) -> Result<Vec<Application>> {
    let e = super::get(conn, event_id)?;
    let ids: Vec<i64> = conn.query_map(
        "SELECT a.id FROM application a WHERE a.service_code = ?1 AND a.status = 'approved'
           AND NOT EXISTS (SELECT 1 FROM agreement g WHERE g.application_id = a.id AND g.status <> 'terminated')
         ORDER BY a.received_on, a.id",
        [&e.input.service_code],
        |r| r.get(0),
    )?;
    ids.into_iter().map(|id| crate::application::get(conn, id)).collect()
}

/// The agreement one application gets: its requested items with the amounts given for them.
fn input_for(e: &super::Event, app: &Application, bulk: &BulkInput) -> std::result::Result<AgreementInput, String> {
    let codes: Vec<String> = if app.item_codes.is_empty() {
        vec![app.service_code.clone()]
    } else {
        app.item_codes.clone()
    };
    let mut items = Vec::new();
    for code in &codes {
        match bulk.items.iter().find(|i| &i.item_code == code) {
            Some(i) => items.push(i.clone()),
            None => return Err(format!("Позиция {code} заявки: укажите её стоимость и долю СМСП")),
        }
    }
    let share: Decimal = items.iter().map(|i| i.sme_share).sum();
    let payment_schedule = match (share > Decimal::ZERO, bulk.due_on) {
        (false, _) => Vec::new(),
        (true, Some(due_on)) => vec![PlannedPayment {
            due_on,
            amount: share,
            contract_id: None,
        }],
        (true, None) => {
            return Err("Срок оплаты доли СМСП: укажите день, до которого СМСП оплачивает свою долю".into())
        }
    };
    Ok(AgreementInput {
        sme_id: app.sme_id,
        application_id: Some(app.id),
        date: bulk.date,
        service_code: e.input.service_code.clone(),
        participants: None,
        declaration_signed: bulk.declaration_signed,
        items,
        payment_schedule,
        stages: Vec::new(),
        format: bulk.format.clone(),
        selection: None,
        event_id: Some(e.id),
    })
}

/// The verdict per application as if the batch were made and signed together today.
pub fn preview(conn: &Db, bulk: &BulkInput, today: NaiveDate) -> Result<Vec<BulkLine>> {
    let e = super::get(conn, bulk.event_id)?;
    if bulk.application_ids.is_empty() {
        return Err(CoreError::field(
            "application_ids",
            "Участники: отметьте заявки, по которым оформить соглашения",
        ));
    }
    let participants = e.signed + e.drafts + bulk.application_ids.len() as u32;
    let mut out = Vec::new();
    for id in &bulk.application_ids {
        let app = crate::application::get(conn, *id)?;
        let mut line = BulkLine {
            application_id: app.id,
            sme_id: app.sme_id,
            sme_name: app.sme_name.clone(),
            inn: app.sme_inn.clone(),
            item_codes: app.item_codes.clone(),
            signable: false,
            problems: Vec::new(),
        };
        if app.service_code != e.input.service_code {
            line.problems.push(format!(
                "Заявка на услугу {}, а мероприятие — {}",
                app.service_code, e.input.service_code
            ));
        }
        match input_for(&e, &app, bulk) {
            Err(why) => line.problems.push(why),
            Ok(input) => {
                let proposal = Proposal {
                    service_code: input.service_code.clone(),
                    items: input
                        .items
                        .iter()
                        .map(|i| ProposedItem {
                            item_code: i.item_code.clone(),
                            cost: i.cost,
                            sme_share: i.sme_share,
                            state_fees: i.state_fees,
                            quantity: i.quantity.clone(),
                        })
                        .collect(),
                    participants: Some(participants),
                    declaration_signed: input.declaration_signed,
                    date: input.date,
                    requested_on: Some(app.received_on),
                    format: input.format.clone(),
                    selection: crate::selection::won(conn, e.id, app.sme_id)?,
                };
                let check = agreement::check_proposal(conn, app.sme_id, &proposal, today, None)?;
                line.problems
                    .extend(check.violations.iter().map(|v| format!("{} ({})", v.message, v.source)));
            }
        }
        line.signable = line.problems.is_empty();
        out.push(line);
    }
    Ok(out)
}

/// Makes the drafts of every application of the batch in one transaction: a form problem of any
/// one of them (an item without amounts, an application of another service) refuses the whole
/// batch with its name; what the engine objects to is shown in the preview and checked again at
/// signing.
pub fn make(conn: &mut Db, ctx: &Ctx, bulk: &BulkInput) -> Result<Vec<agreement::Agreement>> {
    let tx = conn.write(ctx, Right::Agreements)?;
    let e = super::get(&tx, bulk.event_id)?;
    if bulk.application_ids.is_empty() {
        return Err(CoreError::field(
            "application_ids",
            "Участники: отметьте заявки, по которым оформить соглашения",
        ));
    }
    let mut made = Vec::new();
    for id in &bulk.application_ids {
        let app = crate::application::get(&tx, *id)?;
        if app.status != crate::application::ApplicationStatus::Approved {
            return Err(CoreError::field(
                "application_ids",
                format!(
                    "Заявка № {} ({}) в статусе «{}»: соглашение оформляется по одобренной заявке",
                    app.id,
                    app.sme_name,
                    app.status.label()
                ),
            ));
        }
        let input = input_for(&e, &app, bulk)
            .map_err(|why| CoreError::field("items", format!("{} (ИНН {}): {why}", app.sme_name, app.sme_inn)))?;
        let a = agreement::create_in(&tx, ctx, &input).map_err(|err| CoreError {
            message: format!("{} (ИНН {}): {}", app.sme_name, app.sme_inn, err.message),
            ..err
        })?;
        made.push(a);
    }
    tx.commit()?;
    Ok(made)
}
