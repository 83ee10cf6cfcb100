//! SQL of export contracts: writes (checked by `check.rs` first) in one transaction with their audit entry, reads with the SME, agreement and deadline, and the §6.1.5 references the cofinancing engine needs.

use crate::db::{Db, Row};
use crate::params;
use crate::sme::shown_name_sql;
use crate::staff::Right;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::check::{check, due_on};
use super::{Cancellation, ExportContract, ExportContractCheck, ExportContractInput, ExportKind, ExportVolume};
use crate::audit::{self, AuditAction, Ctx};
use crate::calendar::{self, Calendar};
use crate::cofinancing::ExportContractRef;
use crate::error::{CoreError, ErrorCode, Result};
use crate::foreign_buyer;
use crate::money;
use crate::oksm;
use crate::rates;
use crate::search;

/// Filter of the export contracts list; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportContractQuery {
    #[serde(default)]
    pub sme_id: Option<i64>,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub country_code: String,
    #[serde(default)]
    pub kind: Option<ExportKind>,
    #[serde(default)]
    pub buyer_id: Option<i64>,
    /// Only contracts linked to an agreement (results of support).
    #[serde(default)]
    pub supported_only: bool,
    /// Part of the subject, number, counterparty or SME name.
    #[serde(default)]
    pub text: String,
}

const SELECT: &str = concat!(
    "SELECT c.id, c.sme_id, ",
    shown_name_sql!("s"),
    ", s.inn, c.kind,
        c.agreement_id, a.number, c.item_code, c.subject, c.number, c.contract_date, c.country_code, c.buyer_id,
        c.counterparty_name, c.currency, c.amount, c.rate_currency, c.rate_usd, c.reported_on, c.notes,
        c.created_by, c.created_at, c.cancelled_at, c.cancelled_by, c.cancel_reason, a.date
    FROM export_contract c JOIN sme s ON s.id = c.sme_id LEFT JOIN agreement a ON a.id = c.agreement_id"
);

fn from_row(r: &Row) -> Result<ExportContract> {
    let kind: String = r.get(4)?;
    let country_code: String = r.get(11)?;
    let amount = money::column(r, 15)?;
    let rate_currency = money::column(r, 16)?;
    let rate_usd = money::column(r, 17)?;
    let contract_date: NaiveDate = r.get(10)?;
    let agreement_date: Option<NaiveDate> = r.get(25)?;
    let not_counted = agreement_date.filter(|d| contract_date < *d).map(|d| {
        format!(
            "Контракт заключён {} — раньше соглашения от {}: он не результат этой поддержки и в КПЭ 2 и 3 не учитывается",
            contract_date.format("%d.%m.%Y"),
            d.format("%d.%m.%Y")
        )
    });
    Ok(ExportContract {
        id: r.get(0)?,
        sme_id: r.get(1)?,
        sme_name: r.get(2)?,
        sme_inn: r.get(3)?,
        kind: ExportKind::parse(&kind).unwrap_or(ExportKind::Contract),
        agreement_id: r.get(5)?,
        agreement_number: r.get(6)?,
        item_code: r.get(7)?,
        subject: r.get(8)?,
        number: r.get(9)?,
        contract_date,
        not_counted,
        country_name: oksm::country_name(&country_code),
        country_code,
        buyer_id: r.get(12)?,
        counterparty_name: r.get(13)?,
        currency: r.get(14)?,
        usd_thousand: rates::to_usd_thousand(amount, rate_currency, rate_usd)?,
        amount,
        rate_currency,
        rate_usd,
        volumes: Vec::new(),
        reported_on: r.get(18)?,
        due_on: None,
        late: false,
        notes: r.get(19)?,
        created_by: r.get(20)?,
        created_at: r.get(21)?,
        cancelled: match r.get::<_, Option<NaiveDateTime>>(22)? {
            Some(at) => Some(Cancellation {
                at,
                by: r.get(23)?,
                reason: r.get(24)?,
            }),
            None => None,
        },
    })
}

fn complete(conn: &Db, cal: &Calendar, mut c: ExportContract) -> Result<ExportContract> {
    c.volumes = conn.query_map(
        "SELECT year, amount, usd_thousand FROM export_contract_volume WHERE contract_id = ?1 ORDER BY year",
        [c.id],
        |r| {
            Ok(ExportVolume {
                year: r.get(0)?,
                amount: money::column(r, 1)?,
                usd_thousand: money::column(r, 2)?,
            })
        },
    )?;
    c.due_on = due_on(cal, c.contract_date);
    c.late = c.due_on.is_some_and(|d| c.reported_on > d);
    Ok(c)
}

pub fn get(conn: &Db, id: i64) -> Result<ExportContract> {
    let c = conn
        .query_opt(&format!("{SELECT} WHERE c.id = ?1"), [id], from_row)?
        .ok_or_else(|| CoreError::not_found(format!("Экспортный контракт № {id} не найден")))?;
    complete(conn, &calendar::store::load(conn)?, c)
}

/// Contracts matching `q`, newest contract date first. Every word of `q.text` must occur, in any
/// case, in the contract's subject, number, counterparty or country, or in the SME's names and INN.
pub fn list(conn: &Db, q: &ExportContractQuery) -> Result<Vec<ExportContract>> {
    use crate::db::Value;
    let country = q.country_code.trim();
    let country = if country.is_empty() {
        String::new()
    } else {
        oksm::country(country).map_or_else(|| country.to_owned(), |c| c.code.clone())
    };
    let words = search::words(&q.text);
    let text_conds: String = (0..words.len())
        .map(|i| {
            format!(
                " AND (c.search_text || ' ' || s.search_text) LIKE ?{} ESCAPE '\\'",
                i + 7
            )
        })
        .collect();
    let mut args: Vec<Value> = vec![
        q.sme_id.map_or(Value::Null, Value::Integer),
        q.year.map_or(Value::Null, |y| Value::Text(format!("{y:04}").into())),
        Value::Text(country.into()),
        q.kind.map_or(Value::Null, |k| Value::Text(k.as_str().into())),
        q.buyer_id.map_or(Value::Null, Value::Integer),
        Value::Integer(q.supported_only.into()),
    ];
    args.extend(words.iter().map(|w| Value::Text(search::contains_pattern(w).into())));
    let rows = conn.query_map(
        &format!(
            "{SELECT} WHERE (?1 IS NULL OR c.sme_id = ?1)
           AND (?2 IS NULL OR substr(c.contract_date, 1, 4) = ?2)
           AND (?3 = '' OR c.country_code = ?3) AND (?4 IS NULL OR c.kind = ?4)
           AND (?5 IS NULL OR c.buyer_id = ?5) AND (?6 = 0 OR c.agreement_id IS NOT NULL){text_conds}
         ORDER BY c.contract_date DESC, c.id DESC"
        ),
        args,
        from_row,
    )?;
    let cal = calendar::store::load(conn)?;
    rows.into_iter().map(|c| complete(conn, &cal, c)).collect()
}

/// Folds what the list searches of contract `id` into its `search_text` (see [`search`]); the
/// SME's names are searched through the SME's own `search_text`. Called by every write.
fn write_search_text(conn: &Db, id: i64) -> Result<()> {
    let (subject, number, counterparty, country): (String, String, String, Option<String>) = conn.query_row(
        "SELECT subject, number, counterparty_name, country_code FROM export_contract WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let country = country.map(|c| oksm::country_name(&c)).unwrap_or_default();
    let text = search::fold(&[subject, number, counterparty, country].join(" "));
    conn.execute(
        "UPDATE export_contract SET search_text = ?2 WHERE id = ?1",
        params![id, text],
    )?;
    Ok(())
}

/// Fills `search_text` of every contract (the migration that added it).
pub fn refold_search_text(conn: &Db) -> Result<()> {
    let ids: Vec<i64> = conn.query_map("SELECT id FROM export_contract", [], |r| r.get(0))?;
    ids.into_iter().try_for_each(|id| write_search_text(conn, id))
}

/// §6.1.5: the SME's export contracts that result from an agreement. The paragraph speaks of
/// «экспортный контракт»: e-commerce sales count in the export volume KPI, not here (issue 18).
pub fn export_refs(conn: &Db, sme_id: i64) -> Result<Vec<ExportContractRef>> {
    let rows = conn.query_map(
        "SELECT agreement_id, contract_date FROM export_contract
         WHERE sme_id = ?1 AND agreement_id IS NOT NULL AND cancelled_at IS NULL AND kind = 'contract'
         ORDER BY contract_date, id",
        [sme_id],
        |r| {
            Ok(ExportContractRef {
                agreement_id: r.get(0)?,
                concluded_on: r.get(1)?,
            })
        },
    )?;
    Ok(rows)
}

/// Runs the check and returns what will be written, or the first problem.
fn prepared(conn: &Db, input: &ExportContractInput) -> Result<(ExportContractCheck, Decimal)> {
    let c = check(conn, input)?;
    if let Some(e) = c.problems.first() {
        return Err(e.clone());
    }
    let total = money::parse_decimal(&input.amount).unwrap_or_default();
    Ok((c, total))
}

fn write_volumes(conn: &Db, id: i64, volumes: &[ExportVolume]) -> Result<()> {
    conn.execute("DELETE FROM export_contract_volume WHERE contract_id = ?1", [id])?;
    for v in volumes {
        conn.execute(
            "INSERT INTO export_contract_volume (contract_id, year, amount, usd_thousand) VALUES (?1, ?2, ?3, ?4)",
            params![id, v.year, v.amount.to_string(), v.usd_thousand.to_string()],
        )?;
    }
    Ok(())
}

/// The buyer to link: the one chosen, or a new record made from the counterparty when asked.
fn buyer_for(conn: &Db, ctx: &Ctx, input: &ExportContractInput) -> Result<Option<i64>> {
    if input.buyer_id.is_some() || !input.create_buyer {
        return Ok(input.buyer_id);
    }
    let b = foreign_buyer::insert_from_counterparty(
        conn,
        ctx,
        input.counterparty_name.trim(),
        &input.country_code,
        input.sme_id,
        input.agreement_id,
    )?;
    Ok(Some(b))
}

fn item_code(conn: &Db, agreement_id: Option<i64>) -> Result<Option<String>> {
    let Some(id) = agreement_id else { return Ok(None) };
    conn.query_opt("SELECT service_code FROM agreement WHERE id = ?1", [id], |r| r.get(0))
}

pub fn add(conn: &mut Db, ctx: &Ctx, input: &ExportContractInput) -> Result<ExportContract> {
    let tx = conn.write(ctx, Right::Registry)?;
    let (check, total) = prepared(&tx, input)?;
    let conversion = check.conversion.expect("a check without problems has a conversion");
    let buyer = buyer_for(&tx, ctx, input)?;
    let id: i64 = tx.query_row(
        "INSERT INTO export_contract (sme_id, kind, agreement_id, item_code, subject, number, contract_date,
             country_code, buyer_id, counterparty_name, currency, amount, rate_currency, rate_usd, reported_on,
             notes, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18) RETURNING id",
        params![
            input.sme_id,
            input.kind.as_str(),
            input.agreement_id,
            item_code(&tx, input.agreement_id)?,
            input.subject.trim(),
            input.number.trim(),
            input.contract_date,
            oksm::country(&input.country_code).map(|c| c.code.clone()),
            buyer,
            input.counterparty_name.trim(),
            conversion.currency,
            total.to_string(),
            conversion.rate_currency.to_string(),
            conversion.rate_usd.to_string(),
            input.reported_on,
            input.notes.trim(),
            ctx.actor,
            ctx.stamp()
        ],
        |r| r.get(0),
    )?;
    write_search_text(&tx, id)?;
    write_volumes(&tx, id, &check.volumes)?;
    if let Some(b) = buyer {
        foreign_buyer::link_sme(&tx, b, input.sme_id)?;
    }
    let c = get(&tx, id)?;
    audit::record(&tx, ctx, "export_contract", id, AuditAction::Create, None, Some(&c))?;
    tx.commit()?;
    Ok(c)
}

/// Updates a contract. The rates frozen when it was entered are kept while its date and currency
/// stay the same; otherwise the rates of the new date are taken.
pub fn update(conn: &mut Db, ctx: &Ctx, id: i64, input: &ExportContractInput) -> Result<ExportContract> {
    let tx = conn.write(ctx, Right::Registry)?;
    let before = get(&tx, id)?;
    if before.cancelled.is_some() {
        return Err(CoreError::new(
            ErrorCode::Rule,
            format!(
                "Контракт «{}» аннулирован и не изменяется; внесите верный контракт заново",
                before.subject
            ),
        ));
    }
    let (check, total) = prepared(&tx, input)?;
    let conversion = check.conversion.expect("a check without problems has a conversion");
    let (rate_currency, rate_usd) =
        if before.contract_date == input.contract_date && before.currency == conversion.currency {
            (before.rate_currency, before.rate_usd)
        } else {
            (conversion.rate_currency, conversion.rate_usd)
        };
    let volumes: Vec<ExportVolume> = check
        .volumes
        .iter()
        .map(|v| {
            Ok(ExportVolume {
                usd_thousand: rates::to_usd_thousand(v.amount, rate_currency, rate_usd)?,
                ..v.clone()
            })
        })
        .collect::<Result<_>>()?;
    let buyer = buyer_for(&tx, ctx, input)?;
    tx.execute(
        "UPDATE export_contract SET sme_id = ?2, kind = ?3, agreement_id = ?4, item_code = ?5, subject = ?6,
             number = ?7, contract_date = ?8, country_code = ?9, buyer_id = ?10, counterparty_name = ?11,
             currency = ?12, amount = ?13, rate_currency = ?14, rate_usd = ?15, reported_on = ?16, notes = ?17,
             updated_at = ?18
         WHERE id = ?1",
        params![
            id,
            input.sme_id,
            input.kind.as_str(),
            input.agreement_id,
            item_code(&tx, input.agreement_id)?,
            input.subject.trim(),
            input.number.trim(),
            input.contract_date,
            oksm::country(&input.country_code).map(|c| c.code.clone()),
            buyer,
            input.counterparty_name.trim(),
            conversion.currency,
            total.to_string(),
            rate_currency.to_string(),
            rate_usd.to_string(),
            input.reported_on,
            input.notes.trim(),
            ctx.stamp()
        ],
    )?;
    write_search_text(&tx, id)?;
    write_volumes(&tx, id, &volumes)?;
    if let Some(b) = buyer {
        foreign_buyer::link_sme(&tx, b, input.sme_id)?;
    }
    let after = get(&tx, id)?;
    audit::record(
        &tx,
        ctx,
        "export_contract",
        id,
        AuditAction::Update,
        Some(&before),
        Some(&after),
    )?;
    tx.commit()?;
    Ok(after)
}

/// Cancels a contract (entered by mistake, or withdrawn): it is never deleted, since a report may
/// have counted it, and the retention of §7.3 of the regulation keeps the records of support for
/// 3 years. The reason is required; who and when are recorded, and the journal keeps the change.
pub fn cancel(conn: &mut Db, ctx: &Ctx, id: i64, reason: &str) -> Result<ExportContract> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(CoreError::field(
            "reason",
            "Причина аннулирования: укажите, почему контракт аннулируется (например, «внесён ошибочно»)",
        ));
    }
    crate::fields::check_text("reason", reason)?;
    let tx = conn.write(ctx, Right::Registry)?;
    let before = get(&tx, id)?;
    if before.cancelled.is_some() {
        return Err(CoreError::new(
            ErrorCode::Rule,
            format!("Контракт «{}» уже аннулирован", before.subject),
        ));
    }
    tx.execute(
        "UPDATE export_contract SET cancelled_at = ?2, cancelled_by = ?3, cancel_reason = ?4 WHERE id = ?1",
        params![id, ctx.stamp(), ctx.actor, reason],
    )?;
    let after = get(&tx, id)?;
    audit::record(
        &tx,
        ctx,
        "export_contract",
        id,
        AuditAction::Update,
        Some(&before),
        Some(&after),
    )?;
    tx.commit()?;
    Ok(after)
}
