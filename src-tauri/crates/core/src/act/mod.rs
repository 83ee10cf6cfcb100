//! Acts of services rendered (акты) as records: per agreement or per stage, items and amounts that never exceed the agreement, signing by both parties, and the agreement's completion when its acts cover it.

use crate::db::Db;
use crate::params;
use crate::staff::Right;
use chrono::{Datelike, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::agreement::{self, AgreementStatus};
use crate::audit::{self, AuditAction, Ctx};
use crate::budget;
use crate::document::dates;
use crate::error::{CoreError, ErrorCode, Result};
use crate::money::{self, format_rub};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActItemInput {
    pub item_code: String,
    /// The part of the item's cost (with state fees) this act closes.
    #[ts(type = "string")]
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActInput {
    pub agreement_id: i64,
    /// The stage the act closes; `None` for an act on the agreement as a whole.
    #[serde(default)]
    pub stage_id: Option<i64>,
    /// Empty: the next number within the agreement.
    #[serde(default)]
    pub number: String,
    pub date: NaiveDate,
    pub items: Vec<ActItemInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActItem {
    pub item_code: String,
    #[ts(type = "string")]
    pub amount: Decimal,
    /// The centre's part of the amount (spent from the budget once the act is signed).
    #[ts(type = "string")]
    pub centre_share: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Act {
    pub id: i64,
    pub agreement_id: i64,
    pub agreement_number: String,
    pub stage_id: Option<i64>,
    pub number: String,
    pub date: NaiveDate,
    /// Signed by both parties on this day; `None` while unsigned.
    pub signed_on: Option<NaiveDate>,
    /// The year whose budget pays the centre's part, fixed at signing
    /// ([`crate::budget::act_budget_year`]); `None` while unsigned.
    pub budget_year: Option<i32>,
    pub items: Vec<ActItem>,
    #[ts(type = "string")]
    pub amount: Decimal,
}

/// The SME's duty to report export contracts for 3 years after a complex service (§5.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportReportingObligation {
    pub agreement_id: i64,
    pub sme_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// How much of an item acts cover: signed acts only, or every act (signed or not).
pub(crate) fn acted(conn: &Db, agreement_id: i64, item_code: &str, signed_only: bool) -> Result<Decimal> {
    let rows = conn.query_map(
        "SELECT ai.amount FROM act_item ai JOIN act a ON a.id = ai.act_id
         WHERE a.agreement_id = ?1 AND ai.item_code = ?2 AND (?3 = 0 OR a.signed_on IS NOT NULL)",
        params![agreement_id, item_code, signed_only],
        |r| money::column(r, 0),
    )?;
    let mut sum = Decimal::ZERO;
    for r in rows {
        sum += r;
    }
    Ok(money::kopecks(sum))
}

fn centre_acted(conn: &Db, agreement_id: i64, item_code: &str) -> Result<Decimal> {
    let rows = conn.query_map(
        "SELECT ai.centre_share FROM act_item ai JOIN act a ON a.id = ai.act_id
         WHERE a.agreement_id = ?1 AND ai.item_code = ?2",
        params![agreement_id, item_code],
        |r| money::column(r, 0),
    )?;
    let mut sum = Decimal::ZERO;
    for r in rows {
        sum += r;
    }
    Ok(sum)
}

pub fn get(conn: &Db, id: i64) -> Result<Act> {
    let (agreement_id, agreement_number, stage_id, number, date, signed_on, budget_year) = conn
        .query_opt(
            "SELECT a.agreement_id, g.number, a.stage_id, a.number, a.date, a.signed_on, a.budget_year
             FROM act a JOIN agreement g ON g.id = a.agreement_id WHERE a.id = ?1",
            [id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            },
        )?
        .ok_or_else(|| CoreError::not_found(format!("Акт № {id} не найден")))?;
    let items: Vec<ActItem> = conn.query_map(
        "SELECT item_code, amount, centre_share FROM act_item WHERE act_id = ?1 ORDER BY item_code",
        [id],
        |r| {
            Ok(ActItem {
                item_code: r.get(0)?,
                amount: money::column(r, 1)?,
                centre_share: money::column(r, 2)?,
            })
        },
    )?;
    Ok(Act {
        id,
        agreement_id,
        agreement_number,
        stage_id,
        number,
        date,
        signed_on,
        budget_year,
        amount: money::kopecks(items.iter().map(|i| i.amount).sum()),
        items,
    })
}

/// The acts of an agreement, in order.
pub fn list(conn: &Db, agreement_id: i64) -> Result<Vec<Act>> {
    let ids: Vec<i64> = conn.query_map(
        "SELECT id FROM act WHERE agreement_id = ?1 ORDER BY date, id",
        [agreement_id],
        |r| r.get(0),
    )?;
    ids.into_iter().map(|id| get(conn, id)).collect()
}

fn rule(message: String) -> CoreError {
    CoreError::new(ErrorCode::Rule, message)
}

/// Records an act (unsigned) on a signed agreement. Each amount, with every earlier act, stays
/// within the item's cost; the centre's part is proportional, the last act of an item taking the
/// remainder so the parts add up to the agreement's centre share exactly.
pub fn add(conn: &mut Db, ctx: &Ctx, input: &ActInput) -> Result<Act> {
    let tx = conn.write(ctx, Right::Acts)?;
    let act = add_in(&tx, ctx, input)?;
    tx.commit()?;
    Ok(act)
}

/// [`add`] within the caller's transaction (the acts of an event's participants are made together).
pub(crate) fn add_in(tx: &Db, ctx: &Ctx, input: &ActInput) -> Result<Act> {
    crate::fields::refuse_bad(input)?;
    let a = agreement::get(tx, input.agreement_id)?;
    if !a.status.is_active() {
        return Err(rule(format!(
            "Соглашение № {} в статусе «{}»: акт составляется по подписанному соглашению",
            a.number,
            a.status.label()
        )));
    }
    if let Some(stage) = input.stage_id {
        if !a.stages.iter().any(|s| s.id == stage) {
            return Err(CoreError::field(
                "stage_id",
                format!("У соглашения № {} нет этапа № {stage}", a.number),
            ));
        }
    }
    if input.date < a.date {
        return Err(CoreError::field(
            "date",
            format!("Дата акта раньше даты соглашения {}", a.date.format("%d.%m.%Y")),
        ));
    }
    if input.items.is_empty() {
        return Err(CoreError::field("items", "Акт: укажите оказанные услуги и суммы"));
    }
    let number = match input.number.trim() {
        "" => {
            let n: i64 = tx.query_row("SELECT COUNT(*) FROM act WHERE agreement_id = ?1", [a.id], |r| r.get(0))?;
            (n + 1).to_string()
        }
        n => n.to_owned(),
    };
    let taken: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM act WHERE agreement_id = ?1 AND number = ?2)",
        params![a.id, number],
        |r| r.get(0),
    )?;
    if taken {
        return Err(CoreError::field(
            "number",
            format!("Акт № {number} по этому соглашению уже есть"),
        ));
    }
    let id: i64 = tx.query_row(
        "INSERT INTO act (agreement_id, stage_id, number, date, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        params![a.id, input.stage_id, number, input.date, ctx.stamp()],
        |r| r.get(0),
    )?;
    for i in &input.items {
        let code = i.item_code.trim();
        let item = a
            .item(code)
            .ok_or_else(|| CoreError::field("items", format!("Услуги {code} нет в соглашении № {}", a.number)))?;
        let amount = i.amount;
        if amount <= Decimal::ZERO {
            return Err(CoreError::field(
                "items",
                format!("Услуга {code}: укажите положительную сумму с точностью до копейки"),
            ));
        }
        money::check_rub(amount).map_err(|reason| CoreError::field("items", format!("Услуга {code}: {reason}")))?;
        let before = acted(tx, a.id, code, false)?;
        if before + amount > item.total {
            return Err(CoreError::field(
                "items",
                format!(
                    "Услуга {code}: сумма по актам {} превысит стоимость по соглашению {} (уже в актах {}, осталось {})",
                    format_rub(before + amount),
                    format_rub(item.total),
                    format_rub(before),
                    format_rub(item.total - before)
                ),
            ));
        }
        let centre = if before + amount == item.total {
            item.centre_share - centre_acted(tx, a.id, code)?
        } else {
            amount * item.centre_share / item.total
        };
        let inserted = tx.execute(
            "INSERT INTO act_item (act_id, item_code, amount, centre_share) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO NOTHING",
            params![id, code, money::plain(amount), money::plain(centre)],
        )?;
        if inserted == 0 {
            return Err(CoreError::field(
                "items",
                format!("Услуга {code} указана в акте дважды"),
            ));
        }
    }
    let act = get(tx, id)?;
    audit::record(tx, ctx, "act", id, AuditAction::Create, None, Some(&act))?;
    Ok(act)
}

/// Records that both parties signed the act. The agreement starts (if not yet) and completes
/// when its signed acts cover every item. The act's budget year is fixed here: the agreement's
/// year up to the carry-over day, else the signing year, whose budget must then still be able to
/// pay the centre's part (§6.1.2; nothing of that year was committed for it).
pub fn sign(conn: &mut Db, ctx: &Ctx, id: i64, signed_on: NaiveDate) -> Result<Act> {
    let tx = conn.write(ctx, Right::Acts)?;
    let before = get(&tx, id)?;
    if before.signed_on.is_some() {
        return Err(rule(format!("Акт № {} уже подписан", before.number)));
    }
    if signed_on < before.date || signed_on > ctx.now.date() {
        return Err(CoreError::field(
            "signed_on",
            format!(
                "Дата подписания акта {}: не раньше даты акта и не позже сегодняшнего дня",
                signed_on.format("%d.%m.%Y")
            ),
        ));
    }
    let a = agreement::get(&tx, before.agreement_id)?;
    if !a.status.is_active() {
        return Err(rule(format!(
            "Соглашение № {} в статусе «{}»: акт по нему не подписывается",
            a.number,
            a.status.label()
        )));
    }
    let settings = crate::cofinancing::get_settings(&tx)?;
    let budget_year = budget::act_budget_year(a.date, signed_on, &settings);
    if budget_year != a.date.year() {
        late_act_fits(&tx, &before, &a, budget_year, &settings)?;
    }
    // The act's service and centre share go with its budget year, fixed from now on: the year's
    // spent is summed from them on every cofinancing check (migration 0033).
    let centre: Decimal = before.items.iter().map(|i| i.centre_share).sum();
    let centre_kopecks = (money::kopecks(centre) * Decimal::ONE_HUNDRED)
        .to_i64()
        .ok_or_else(|| rule(format!("Акт № {}: сумма доли центра вне допустимого", before.number)))?;
    tx.execute(
        "UPDATE act SET signed_on = ?2, budget_year = ?3, service_code = ?4, centre_kopecks = ?5 WHERE id = ?1",
        params![id, signed_on, budget_year, a.service_code, centre_kopecks],
    )?;
    if a.status == AgreementStatus::Signed {
        agreement::start_in(&tx, ctx, a.id)?;
    }
    agreement::complete_if_covered(&tx, ctx, a.id, signed_on)?;
    let after = get(&tx, id)?;
    audit::record(&tx, ctx, "act", id, AuditAction::Update, Some(&before), Some(&after))?;
    tx.commit()?;
    Ok(after)
}

/// §6.1.2 for an act signed after its agreement's year's carry-over day: the budget of the
/// signing year, per the agreement's catalog row and in total, must still hold the act's centre
/// part.
fn late_act_fits(
    conn: &Db,
    act: &Act,
    a: &agreement::Agreement,
    year: i32,
    settings: &crate::cofinancing::CofinancingSettings,
) -> Result<()> {
    let request = money::kopecks(act.items.iter().map(|i| i.centre_share).sum());
    if request <= Decimal::ZERO {
        return Ok(());
    }
    let status = budget::show(conn, year)?;
    let why = format!(
        "Акт № {} по соглашению № {} от {} подписывается после {}: средства сметы {} года на него \
         уже не расходуются (п. 6.1.2, срок расходования — настройка «Правила софинансирования»), \
         доля ЦПЭ {} оплачивается из сметы {year} года",
        act.number,
        a.number,
        dates::short(a.date),
        dates::short(budget::carry_over_ends(a.date.year(), settings) - chrono::Days::new(1)),
        a.date.year(),
        format_rub(request),
    );
    let rows = [
        (format!("услугу {}", a.service_code), status.line(&a.service_code)),
        ("все услуги".to_owned(), Some(&status.total)),
    ];
    for (what, row) in rows {
        match row.and_then(|r| r.remaining) {
            None => {
                return Err(rule(format!(
                    "{why}, а в ней нет средств на {what}. Задайте смету на {year} год в разделе «Смета»."
                )))
            }
            Some(remaining) if remaining < request => {
                return Err(rule(format!(
                    "{why}, а в ней на {what} осталось {}. Увеличьте смету на {year} год в разделе «Смета».",
                    format_rub(remaining)
                )))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The export reporting obligation created when a complex-service agreement completed.
pub fn export_obligation(conn: &Db, agreement_id: i64) -> Result<Option<ExportReportingObligation>> {
    conn.query_opt(
        "SELECT agreement_id, sme_id, starts_on, ends_on FROM export_reporting_obligation WHERE agreement_id = ?1",
        [agreement_id],
        |r| {
            Ok(ExportReportingObligation {
                agreement_id: r.get(0)?,
                sme_id: r.get(1)?,
                starts_on: r.get(2)?,
                ends_on: r.get(3)?,
            })
        },
    )
}

#[cfg(test)]
mod budget_year_tests;
