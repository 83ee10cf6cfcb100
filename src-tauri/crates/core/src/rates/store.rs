//! SQL of the exchange rates: import of a parsed file in one transaction (idempotent; a different value for a stored date and currency is reported, replaced only when asked), manual entry, lists, and the rate in force on a day.

use crate::staff::Right;
use std::collections::BTreeMap;
use std::path::Path;

use crate::db::{Db, Row};
use crate::params;
use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    effective, missing_rate, parse, to_usd_thousand, weekday_rule, Conversion, CurrencyRate, EffectiveRate,
    ManualRateInput, RateConflict, RateImportReport, RateSource,
};
use crate::audit::{self, AuditAction, Ctx};
use crate::calendar;
use crate::error::{CoreError, ErrorCode, Result};
use crate::money;
use crate::oksm;

const COLUMNS: &str = "date, char_code, nominal, value, unit_rate, source, entered_by, entered_at";

fn from_row(r: &Row) -> Result<CurrencyRate> {
    let source: String = r.get(5)?;
    Ok(CurrencyRate {
        date: r.get(0)?,
        char_code: r.get(1)?,
        nominal: r.get(2)?,
        value: money::column(r, 3)?,
        unit_rate: money::column(r, 4)?,
        source: RateSource::parse(&source).unwrap_or(RateSource::Manual),
        entered_by: r.get(6)?,
        entered_at: r.get(7)?,
    })
}

fn get(conn: &Db, date: NaiveDate, char_code: &str) -> Result<Option<CurrencyRate>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM currency_rate WHERE date = ?1 AND char_code = ?2"),
        params![date, char_code],
        from_row,
    )
}

/// Filter of the rates list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RateQuery {
    #[serde(default)]
    pub date_from: Option<NaiveDate>,
    #[serde(default)]
    pub date_to: Option<NaiveDate>,
    /// Empty: every currency.
    #[serde(default)]
    pub char_code: String,
}

/// Stored rates, newest date first, then by currency code; at most 2 000 rows.
pub fn list(conn: &Db, q: &RateQuery) -> Result<Vec<CurrencyRate>> {
    let code = q.char_code.trim().to_uppercase();
    let rows = conn.query_map(
        &format!(
            "SELECT {COLUMNS} FROM currency_rate
         WHERE (?1 IS NULL OR date >= ?1) AND (?2 IS NULL OR date <= ?2) AND (?3 = '' OR char_code = ?3)
         ORDER BY date DESC, char_code LIMIT 2000"
        ),
        params![q.date_from, q.date_to, code],
        from_row,
    )?;
    Ok(rows)
}

fn insert(conn: &Db, ctx: &Ctx, r: &CurrencyRate) -> Result<()> {
    conn.execute(
        "INSERT INTO currency_rate (date, char_code, nominal, value, unit_rate, source, entered_by, entered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (date, char_code) DO UPDATE SET nominal = excluded.nominal, value = excluded.value,
             unit_rate = excluded.unit_rate, source = excluded.source, entered_by = excluded.entered_by,
             entered_at = excluded.entered_at",
        params![
            r.date,
            r.char_code,
            r.nominal,
            r.value.to_string(),
            r.unit_rate.to_string(),
            r.source.as_str(),
            ctx.actor,
            ctx.stamp()
        ],
    )?;
    Ok(())
}

/// Imports the bytes of one of the Bank's files: one transaction with one audit entry for the
/// file. A rate equal to the stored one is counted as unchanged; a different one is a conflict
/// left as stored unless `replace`.
pub fn import_bytes(
    conn: &mut Db,
    ctx: &Ctx,
    bytes: &[u8],
    file_name: &str,
    replace: bool,
) -> Result<RateImportReport> {
    let parsed = parse(bytes)?;
    if parsed.rates.is_empty() {
        return Err(CoreError::new(
            ErrorCode::File,
            format!("Файл курсов ЦБ {file_name}: в нём нет ни одного курса"),
        ));
    }
    let source = parsed.kind.source();
    let mut report = RateImportReport {
        file_name: file_name.to_owned(),
        kind: parsed.kind,
        date_from: parsed.rates.iter().map(|r| r.date).min(),
        date_to: parsed.rates.iter().map(|r| r.date).max(),
        imported: 0,
        unchanged: 0,
        replaced: 0,
        conflicts: Vec::new(),
    };
    let tx = conn.write(ctx, Right::Imports)?;
    for p in &parsed.rates {
        let rate = CurrencyRate {
            date: p.date,
            char_code: p.char_code.clone(),
            nominal: p.nominal,
            value: p.value,
            unit_rate: p.unit_rate,
            source,
            entered_by: ctx.actor.clone(),
            entered_at: ctx.now,
        };
        match get(&tx, p.date, &p.char_code)? {
            None => {
                insert(&tx, ctx, &rate)?;
                report.imported += 1;
            }
            // Compared as numbers: "54,352" and "54,3520" are the same rate.
            Some(old) if old.unit_rate == p.unit_rate && old.nominal == p.nominal && old.value == p.value => {
                report.unchanged += 1
            }
            Some(old) if replace => {
                insert(&tx, ctx, &rate)?;
                report.replaced += 1;
                audit::record(
                    &tx,
                    ctx,
                    "currency_rate",
                    format!("{}:{}", p.date, p.char_code),
                    AuditAction::Update,
                    Some(&old),
                    Some(&rate),
                )?;
            }
            Some(old) => report.conflicts.push(RateConflict {
                date: p.date,
                char_code: p.char_code.clone(),
                stored_unit_rate: old.unit_rate,
                stored_source: old.source,
                file_unit_rate: p.unit_rate,
            }),
        }
    }
    audit::record(
        &tx,
        ctx,
        "currency_rate_import",
        file_name,
        AuditAction::Create,
        None,
        Some(&report),
    )?;
    tx.commit()?;
    Ok(report)
}

/// Reads and imports a file from disk.
pub fn import_file(conn: &mut Db, ctx: &Ctx, path: &Path, replace: bool) -> Result<RateImportReport> {
    let bytes = std::fs::read(path).map_err(|e| {
        CoreError::new(
            ErrorCode::File,
            format!("Не удалось прочитать файл {}: {e}", path.display()),
        )
    })?;
    let name = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    import_bytes(conn, ctx, &bytes, &name, replace)
}

/// Stores a rate typed by hand. A different rate already stored for the day is refused (code
/// `duplicate`, naming both values) unless `replace`.
pub fn set_manual(conn: &mut Db, ctx: &Ctx, input: &ManualRateInput) -> Result<CurrencyRate> {
    let code = input.char_code.trim().to_uppercase();
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) || code == oksm::RUB {
        return Err(CoreError::field(
            "char_code",
            "Валюта: укажите буквенный код ISO 4217, например USD, EUR, CNY",
        ));
    }
    if !(1..=1_000_000).contains(&input.nominal) {
        return Err(CoreError::field(
            "nominal",
            "Номинал: целое число от 1, например 1, 10, 100",
        ));
    }
    let value = money::parse_decimal(&input.value)
        .filter(|v| *v > Decimal::ZERO)
        .ok_or_else(|| {
            CoreError::field(
                "value",
                format!(
                    "Курс «{}»: укажите рубли за номинал, например 92,5058",
                    input.value.trim()
                ),
            )
        })?;
    let unit_rate = value / Decimal::from(input.nominal);
    super::check_rate(input.nominal, value, unit_rate.round_dp(10))
        .map_err(|reason| CoreError::field("value", format!("Курс: {reason}")))?;
    let rate = CurrencyRate {
        date: input.date,
        char_code: code.clone(),
        nominal: input.nominal,
        value,
        unit_rate,
        source: RateSource::Manual,
        entered_by: ctx.actor.clone(),
        entered_at: ctx.now,
    };
    let tx = conn.write(ctx, Right::Imports)?;
    let old = get(&tx, input.date, &code)?;
    if let Some(old) = &old {
        if old.unit_rate != rate.unit_rate && !input.replace {
            return Err(CoreError {
                code: ErrorCode::Duplicate,
                message: format!(
                    "Курс {code} на {} уже есть: {} ₽ за единицу ({}). Чтобы заменить его на {} ₽, подтвердите замену",
                    input.date.format("%d.%m.%Y"),
                    old.unit_rate.normalize(),
                    old.source.label(),
                    rate.unit_rate.normalize()
                ),
                field: Some("value".to_owned()),
            });
        }
    }
    insert(&tx, ctx, &rate)?;
    let action = if old.is_some() {
        AuditAction::Update
    } else {
        AuditAction::Create
    };
    audit::record(
        &tx,
        ctx,
        "currency_rate",
        format!("{}:{code}", input.date),
        action,
        old.as_ref(),
        Some(&rate),
    )?;
    tx.commit()?;
    Ok(rate)
}

/// Deletes one stored rate (a mistyped manual one).
pub fn delete(conn: &mut Db, ctx: &Ctx, date: NaiveDate, char_code: &str) -> Result<()> {
    let tx = conn.write(ctx, Right::Imports)?;
    let old = get(&tx, date, char_code)?
        .ok_or_else(|| CoreError::not_found(format!("Курса {char_code} на {} нет", date.format("%d.%m.%Y"))))?;
    tx.execute(
        "DELETE FROM currency_rate WHERE date = ?1 AND char_code = ?2",
        params![date, char_code],
    )?;
    audit::record(
        &tx,
        ctx,
        "currency_rate",
        format!("{date}:{char_code}"),
        AuditAction::Delete,
        Some(&old),
        None,
    )?;
    tx.commit()?;
    Ok(())
}

/// The rate of `char_code` in force on `on` (see the module doc), or [`missing_rate`].
pub fn rate_on(conn: &Db, char_code: &str, on: NaiveDate) -> Result<EffectiveRate> {
    let code = char_code.trim().to_uppercase();
    let records: BTreeMap<NaiveDate, (i64, Decimal)> = conn
        .query_map(
            "SELECT date, nominal, unit_rate FROM currency_rate WHERE char_code = ?1 AND date <= ?2 AND date >= ?3",
            params![code, on, on - Duration::days(20)],
            |r| Ok((r.get(0)?, (r.get(1)?, money::column(r, 2)?))),
        )?
        .into_iter()
        .collect();
    if records.is_empty() {
        return Err(missing_rate(&code, on));
    }
    let cal = calendar::store::load(conn)?;
    let is_working = |d: NaiveDate| cal.is_working_day(d).unwrap_or_else(|_| weekday_rule(d));
    let (record_date, (nominal, unit_rate)) =
        effective(on, &records, is_working).ok_or_else(|| missing_rate(&code, on))?;
    Ok(EffectiveRate {
        char_code: code,
        on,
        record_date,
        nominal,
        unit_rate,
    })
}

/// Roubles for one unit of `char_code` on `on` (1 for roubles).
pub fn unit_rate_on(conn: &Db, char_code: &str, on: NaiveDate) -> Result<Decimal> {
    if char_code.trim().eq_ignore_ascii_case(oksm::RUB) {
        return Ok(Decimal::ONE);
    }
    Ok(rate_on(conn, char_code, on)?.unit_rate)
}

/// `amount` of `currency` in thousand US dollars at the rates in force on `on`. A missing rate
/// (of the currency or of the dollar) is an error naming it, never a rate of another day.
pub fn convert(conn: &Db, currency: &str, on: NaiveDate, amount: Decimal) -> Result<Conversion> {
    let currency = currency.trim().to_uppercase();
    let rate_currency = unit_rate_on(conn, &currency, on)?;
    let rate_usd = unit_rate_on(conn, "USD", on)?;
    Ok(Conversion {
        usd_thousand: to_usd_thousand(amount, rate_currency, rate_usd)?,
        currency,
        date: on,
        amount,
        rate_currency,
        rate_usd,
    })
}
