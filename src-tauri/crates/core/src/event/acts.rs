//! Participants' acts made from the event in one action: for each participant's agreement in force, an act on what its acts do not cover yet, all dated the same day — first a preview of what will be made (and what stands in the way), then recorded together, all or none.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::act::{self, Act, ActInput, ActItemInput};
use crate::agreement::{self, AgreementStatus};
use crate::audit::Ctx;
use crate::db::Db;
use crate::document::dates;
use crate::error::{CoreError, ErrorCode, Result};
use crate::staff::Right;

/// The act one participant's agreement would get.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActLine {
    pub agreement_id: i64,
    pub agreement_number: String,
    pub sme_name: String,
    pub inn: String,
    /// What the act closes: each item's cost not yet covered by an act.
    pub items: Vec<ActItemInput>,
    #[ts(type = "string")]
    pub amount: Decimal,
    /// Why no act can be made for it now, in Russian; empty when it can.
    pub problems: Vec<String>,
}

/// The participants' acts to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActsInput {
    pub event_id: i64,
    /// The acts' date.
    pub date: NaiveDate,
    /// The participants' agreements to make acts for.
    pub agreement_ids: Vec<i64>,
}

/// Every agreement of the event (except terminated ones) with the act it would get on `date`.
pub fn preview(conn: &Db, event_id: i64, date: NaiveDate) -> Result<Vec<ActLine>> {
    let e = super::get(conn, event_id)?;
    if date < e.input.ends_on {
        return Err(CoreError::field(
            "date",
            format!(
                "Мероприятие проходит по {}: акт об оказании услуги составляется не раньше этого дня",
                dates::short(e.input.ends_on)
            ),
        ));
    }
    let mut out = Vec::new();
    for g in super::agreements(conn, event_id)? {
        if g.status == AgreementStatus::Terminated {
            continue;
        }
        let a = agreement::get(conn, g.id)?;
        let mut items = Vec::new();
        for i in &a.items {
            let left = i.total - act::acted(conn, a.id, &i.item_code, false)?;
            if left > Decimal::ZERO {
                items.push(ActItemInput {
                    item_code: i.item_code.clone(),
                    amount: left,
                });
            }
        }
        let mut problems = Vec::new();
        if !a.status.is_active() {
            problems.push(format!(
                "Соглашение в статусе «{}»: акт составляется по подписанному соглашению",
                a.status.label()
            ));
        } else if items.is_empty() {
            problems.push("Акты по соглашению уже составлены на всю сумму".to_owned());
        }
        if date < a.date {
            problems.push(format!("Дата акта раньше даты соглашения {}", dates::short(a.date)));
        }
        out.push(ActLine {
            agreement_id: a.id,
            agreement_number: a.number.clone(),
            sme_name: g.sme_name,
            inn: g.inn,
            amount: items.iter().map(|i| i.amount).sum(),
            items,
            problems,
        });
    }
    Ok(out)
}

/// Makes the acts of the chosen agreements in one transaction; any one that cannot have its act
/// refuses the whole batch, naming the business and why.
pub fn make(conn: &mut Db, ctx: &Ctx, input: &ActsInput) -> Result<Vec<Act>> {
    let tx = conn.write(ctx, Right::Acts)?;
    if input.agreement_ids.is_empty() {
        return Err(CoreError::field(
            "agreement_ids",
            "Участники: отметьте соглашения, по которым составить акты",
        ));
    }
    let lines = preview(&tx, input.event_id, input.date)?;
    let mut made = Vec::new();
    for id in &input.agreement_ids {
        let line = lines.iter().find(|l| l.agreement_id == *id).ok_or_else(|| {
            CoreError::field(
                "agreement_ids",
                format!("Соглашение № {id} не относится к этому мероприятию (или расторгнуто)"),
            )
        })?;
        let named = |message: &str| {
            format!(
                "{} (ИНН {}), соглашение № {}: {message}",
                line.sme_name, line.inn, line.agreement_number
            )
        };
        if !line.problems.is_empty() {
            return Err(CoreError::new(ErrorCode::Rule, named(&line.problems.join("; "))));
        }
        let a = act::add_in(
            &tx,
            ctx,
            &ActInput {
                agreement_id: *id,
                stage_id: None,
                number: String::new(),
                date: input.date,
                items: line.items.clone(),
            },
        )
        .map_err(|err| CoreError {
            message: named(&err.message),
            ..err
        })?;
        made.push(a);
    }
    tx.commit()?;
    Ok(made)
}
