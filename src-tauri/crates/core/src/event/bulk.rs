//! Participants' agreements made from the event in one action: the approved applications of the event's service still without an agreement — and businesses of the registry that have none yet, whose application is registered and approved in the same action — the same items and amounts for each, a preview of the cofinancing engine's verdict per business (the batch counted as participants), and the drafts created together — all or none.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::agreement::{self, AgreementInput, AgreementItemInput, PlannedPayment};
use crate::application::{self, Application, ApplicationInput, ApplicationStatus, Channel, TransitionInput};
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
    /// Businesses of the registry without an application: each one's application for every item
    /// of the batch, received on the agreements' date by `channel`, is registered and approved in
    /// the same action.
    #[serde(default)]
    pub new_sme_ids: Vec<i64>,
    /// How the new participants' applications came in.
    #[serde(default = "visit")]
    pub channel: Channel,
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
    /// `None` for a business whose application the batch registers.
    pub application_id: Option<i64>,
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

fn visit() -> Channel {
    Channel::Visit
}

/// Whom one agreement of the batch is for: an approved application, or a business whose
/// application the batch registers.
struct Party {
    application_id: Option<i64>,
    sme_id: i64,
    sme_name: String,
    inn: String,
    service_code: String,
    item_codes: Vec<String>,
    requested_on: NaiveDate,
}

impl Party {
    fn of(app: &Application) -> Party {
        Party {
            application_id: Some(app.id),
            sme_id: app.sme_id,
            sme_name: app.sme_name.clone(),
            inn: app.sme_inn.clone(),
            service_code: app.service_code.clone(),
            item_codes: if app.item_codes.is_empty() {
                vec![app.service_code.clone()]
            } else {
                app.item_codes.clone()
            },
            requested_on: app.received_on,
        }
    }

    fn new(conn: &Db, e: &super::Event, sme_id: i64, bulk: &BulkInput) -> Result<Party> {
        let sme = crate::sme::get(conn, sme_id)?;
        Ok(Party {
            application_id: None,
            sme_id,
            sme_name: sme.input.shown_name().to_owned(),
            inn: sme.input.inn,
            service_code: e.input.service_code.clone(),
            item_codes: bulk.items.iter().map(|i| i.item_code.clone()).collect(),
            requested_on: bulk.date,
        })
    }

    fn named(&self, message: &str) -> String {
        format!("{} (ИНН {}): {message}", self.sme_name, self.inn)
    }
}

fn parties(conn: &Db, e: &super::Event, bulk: &BulkInput) -> Result<Vec<Party>> {
    if bulk.application_ids.is_empty() && bulk.new_sme_ids.is_empty() {
        return Err(CoreError::field(
            "application_ids",
            "Участники: отметьте заявки или добавьте СМСП, по которым оформить соглашения",
        ));
    }
    let mut out = Vec::new();
    for id in &bulk.application_ids {
        out.push(Party::of(&application::get(conn, *id)?));
    }
    for id in &bulk.new_sme_ids {
        out.push(Party::new(conn, e, *id, bulk)?);
    }
    Ok(out)
}

/// The agreement one party gets: its requested items with the amounts given for them.
fn input_for(e: &super::Event, party: &Party, bulk: &BulkInput) -> std::result::Result<AgreementInput, String> {
    let mut items = Vec::new();
    for code in &party.item_codes {
        match bulk.items.iter().find(|i| &i.item_code == code) {
            Some(i) => items.push(i.clone()),
            None => return Err(format!("Позиция {code} заявки: укажите её стоимость и долю СМСП")),
        }
    }
    if items.is_empty() {
        return Err("Укажите позиции услуги, их стоимость и долю СМСП".into());
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
        sme_id: party.sme_id,
        application_id: party.application_id,
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

/// Whether the business already takes part in the event by an agreement in force.
fn taking_part(conn: &Db, event_id: i64, sme_id: i64) -> Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM agreement WHERE event_id = ?1 AND sme_id = ?2 AND status <> 'terminated')",
        [event_id, sme_id],
        |r| r.get(0),
    )
}

/// The verdict per participant as if the batch were made and signed together today.
pub fn preview(conn: &Db, bulk: &BulkInput, today: NaiveDate) -> Result<Vec<BulkLine>> {
    let e = super::get(conn, bulk.event_id)?;
    let parties = parties(conn, &e, bulk)?;
    let participants = e.signed + e.drafts + parties.len() as u32;
    let mut out = Vec::new();
    for p in &parties {
        let mut line = BulkLine {
            application_id: p.application_id,
            sme_id: p.sme_id,
            sme_name: p.sme_name.clone(),
            inn: p.inn.clone(),
            item_codes: p.item_codes.clone(),
            signable: false,
            problems: Vec::new(),
        };
        if p.service_code != e.input.service_code {
            line.problems.push(format!(
                "Заявка на услугу {}, а мероприятие — {}",
                p.service_code, e.input.service_code
            ));
        }
        if p.application_id.is_none() && taking_part(conn, e.id, p.sme_id)? {
            line.problems
                .push("У СМСП уже есть соглашение участника этого мероприятия".to_owned());
        }
        match input_for(&e, p, bulk) {
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
                    requested_on: Some(p.requested_on),
                    format: input.format.clone(),
                    selection: crate::selection::won(conn, e.id, p.sme_id)?,
                };
                let check = agreement::check_proposal(conn, p.sme_id, &proposal, today, None)?;
                line.problems
                    .extend(check.violations.iter().map(|v| format!("{} ({})", v.message, v.source)));
            }
        }
        line.signable = line.problems.is_empty();
        out.push(line);
    }
    Ok(out)
}

/// Registers and approves the application of a business joining the event, as the batch's item
/// list asks.
fn enrol(tx: &Db, ctx: &Ctx, e: &super::Event, p: &Party, bulk: &BulkInput) -> Result<i64> {
    let app = application::add_in(
        tx,
        ctx,
        &ApplicationInput {
            sme_id: p.sme_id,
            service_code: e.input.service_code.clone(),
            item_codes: p.item_codes.clone(),
            received_on: bulk.date,
            channel: bulk.channel,
            responsible_staff_id: None,
            comment: format!("Участник мероприятия «{}»", e.input.title),
        },
    )?;
    for to in [ApplicationStatus::UnderReview, ApplicationStatus::Approved] {
        let t = TransitionInput {
            to,
            comment: format!("Участник мероприятия «{}»", e.input.title),
            refusal: None,
        };
        application::apply_transition(tx, ctx, app.id, &t)?;
    }
    Ok(app.id)
}

/// Makes the drafts of the whole batch in one transaction (registering and approving the new
/// participants' applications first): a form problem of any one of them (an item without amounts,
/// an application of another service) refuses the whole batch with its name; what the engine
/// objects to is shown in the preview and checked again at signing.
pub fn make(conn: &mut Db, ctx: &Ctx, bulk: &BulkInput) -> Result<Vec<agreement::Agreement>> {
    if !bulk.new_sme_ids.is_empty() {
        ctx.require(Right::Applications)?;
    }
    let tx = conn.write(ctx, Right::Agreements)?;
    let e = super::get(&tx, bulk.event_id)?;
    let mut made = Vec::new();
    for mut p in parties(&tx, &e, bulk)? {
        match p.application_id {
            Some(id) => {
                let app = application::get(&tx, id)?;
                if app.status != ApplicationStatus::Approved {
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
            }
            None => {
                // The amounts first: a batch that cannot be made registers no application.
                input_for(&e, &p, bulk).map_err(|why| CoreError::field("items", p.named(&why)))?;
                p.application_id = Some(enrol(&tx, ctx, &e, &p, bulk).map_err(|err| CoreError {
                    message: p.named(&err.message),
                    ..err
                })?);
            }
        }
        let input = input_for(&e, &p, bulk).map_err(|why| CoreError::field("items", p.named(&why)))?;
        let a = agreement::create_in(&tx, ctx, &input).map_err(|err| CoreError {
            message: p.named(&err.message),
            ..err
        })?;
        made.push(a);
    }
    tx.commit()?;
    Ok(made)
}
