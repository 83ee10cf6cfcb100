//! Курсы ЦБ РФ: the Central Bank's official exchange rates imported from its XML files or typed by hand, which rate is in force on a day, and the conversion of a contract's amount to thousand US dollars.
//!
//! **Which rate is in force on a day.** The Bank sets rates on its working days, effective from
//! the next calendar day until it sets new ones; its daily file for a day (`Date="…"`) holds the
//! rates in force on that day, and there is no file dated a Sunday or a holiday. So the rate on
//! day D is the record dated D, or — when none is stored — the record dated D−1, D−2, … provided no
//! rate could have been set in between: walking back from D, a missing day d is passed over only
//! when the day before it (d−1) is a non-working day by the production calendar (no rate was set
//! on it to take effect on d). A Monday takes Saturday's record, the days of the New Year holidays
//! take the record dated just after the last working day of December; a missing Tuesday is never
//! bridged with Monday's record, because a rate was set on Monday for Tuesday — the program asks
//! for it instead ([`ErrorCode::MissingRate`]). Years the calendar does not hold count Monday to
//! Friday as working days, which can only make the program ask more often, never guess.
//!
//! **Conversion and rounding** ([`to_usd_thousand`]): amount × (roubles for one unit of the
//! currency) ÷ (roubles for one US dollar) ÷ 1000, in `Decimal` at full precision (28 significant
//! digits), rounded once at the end half away from zero to 3 decimals — whole dollars, the
//! precision of the report to the region. Unit rates are the Bank's `VunitRate` (or `Value ÷
//! Nominal` for files without it), so JPY at nominal 100 is converted per yen. A contract in
//! roubles needs only the dollar rate.

mod parse;
mod store;

pub use parse::{decode, parse, ParsedFile, ParsedRate};
pub use store::{convert, delete, import_bytes, import_file, list, rate_on, set_manual, unit_rate_on, RateQuery};

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, ErrorCode};

/// Where a stored rate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RateSource {
    CbrDaily,
    CbrDynamic,
    Manual,
}

impl RateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RateSource::CbrDaily => "cbr_daily",
            RateSource::CbrDynamic => "cbr_dynamic",
            RateSource::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<RateSource> {
        match s {
            "cbr_daily" => Some(RateSource::CbrDaily),
            "cbr_dynamic" => Some(RateSource::CbrDynamic),
            "manual" => Some(RateSource::Manual),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RateSource::CbrDaily => "файл ЦБ на дату",
            RateSource::CbrDynamic => "файл ЦБ, динамика",
            RateSource::Manual => "введён вручную",
        }
    }
}

/// The two kinds of the Bank's XML files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RateFileKind {
    /// `XML_daily.asp`: every currency on one date.
    Daily,
    /// `XML_dynamic.asp`: one currency over a range of dates.
    Dynamic,
}

impl RateFileKind {
    pub fn source(self) -> RateSource {
        match self {
            RateFileKind::Daily => RateSource::CbrDaily,
            RateFileKind::Dynamic => RateSource::CbrDynamic,
        }
    }
}

/// One stored rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CurrencyRate {
    pub date: NaiveDate,
    pub char_code: String,
    pub nominal: i64,
    /// Roubles for `nominal` units, as published.
    #[ts(type = "string")]
    pub value: Decimal,
    /// Roubles for one unit.
    #[ts(type = "string")]
    pub unit_rate: Decimal,
    pub source: RateSource,
    pub entered_by: String,
    pub entered_at: NaiveDateTime,
}

/// A rate typed by hand (from the Bank's site or a printed bulletin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ManualRateInput {
    pub date: NaiveDate,
    pub char_code: String,
    pub nominal: i64,
    /// Roubles for `nominal` units as typed, e.g. "92,5058".
    pub value: String,
    /// Replace a different rate already stored for this date and currency.
    #[serde(default)]
    pub replace: bool,
}

/// A rate in the file that differs from the one stored for the same date and currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RateConflict {
    pub date: NaiveDate,
    pub char_code: String,
    #[ts(type = "string")]
    pub stored_unit_rate: Decimal,
    pub stored_source: RateSource,
    #[ts(type = "string")]
    pub file_unit_rate: Decimal,
}

/// What an import did. With `replace` off, conflicting rates are listed and left as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RateImportReport {
    pub file_name: String,
    pub kind: RateFileKind,
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    /// New rates stored.
    pub imported: u32,
    /// Rates already stored with the same value.
    pub unchanged: u32,
    /// Stored rates replaced by the file's (only with `replace`).
    pub replaced: u32,
    pub conflicts: Vec<RateConflict>,
}

/// The rate in force on a day and the record it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EffectiveRate {
    pub char_code: String,
    /// The day asked about.
    pub on: NaiveDate,
    /// The record's date (equal to `on`, or the last setting before a run of non-working days).
    pub record_date: NaiveDate,
    pub nominal: i64,
    #[ts(type = "string")]
    pub unit_rate: Decimal,
}

/// An amount converted at the rates in force on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Conversion {
    pub currency: String,
    pub date: NaiveDate,
    #[ts(type = "string")]
    pub amount: Decimal,
    /// Roubles for one unit of the currency (1 for roubles).
    #[ts(type = "string")]
    pub rate_currency: Decimal,
    /// Roubles for one US dollar.
    #[ts(type = "string")]
    pub rate_usd: Decimal,
    #[ts(type = "string")]
    pub usd_thousand: Decimal,
}

/// amount → thousand US dollars at the two unit rates; see the module doc for the rounding.
pub fn to_usd_thousand(amount: Decimal, rate_currency: Decimal, rate_usd: Decimal) -> Result<Decimal, CoreError> {
    let thousand = Decimal::from(1000);
    // Multiply first, divide once by (rate_usd × 1000): one division keeps the most precision.
    // Checked: amounts and rates are bounded where typed, but a stored value is not re-checked.
    amount
        .checked_mul(rate_currency)
        .zip(rate_usd.checked_mul(thousand))
        .and_then(|(roubles, per_thousand)| roubles.checked_div(per_thousand))
        .map(|d| d.round_dp_with_strategy(3, RoundingStrategy::MidpointAwayFromZero))
        .ok_or_else(|| {
            CoreError::new(
                ErrorCode::Rule,
                format!(
                    "Сумма {amount} по курсу {rate_currency} (доллар — {rate_usd}) не пересчитывается в доллары: \
                     проверьте сумму и курсы"
                ),
            )
        })
}

/// The most roubles a unit of any currency can be worth here (a troy ounce of gold is ~10⁴ ₽).
pub const MAX_UNIT_RATE: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);
/// The largest nominal the Bank's files use is 10 000; 10⁶ leaves room.
pub const MAX_NOMINAL: i64 = 1_000_000;

/// A rate as the program accepts it, typed or imported: nominal 1…10⁶, value per nominal with at
/// most 6 decimals (the Bank writes 4), roubles for one unit above 0 and at most [`MAX_UNIT_RATE`]
/// with at most 10 decimals. Bounds keep every conversion inside `Decimal`'s range and refuse a
/// value like 0,0000000000000000000000000001 that only a damaged file would hold.
pub fn check_rate(nominal: i64, value: Decimal, unit_rate: Decimal) -> Result<(), String> {
    if !(1..=MAX_NOMINAL).contains(&nominal) {
        return Err(format!("номинал {nominal}: должен быть целым числом от 1 до 1 000 000"));
    }
    if value <= Decimal::ZERO || value.normalize().scale() > 6 {
        return Err(format!(
            "курс {value}: укажите положительное число не более чем с 6 знаками после запятой"
        ));
    }
    let min_unit = Decimal::new(1, 8);
    if unit_rate < min_unit || unit_rate > MAX_UNIT_RATE || unit_rate.normalize().scale() > 10 {
        return Err(format!(
            "курс за единицу {unit_rate}: должен быть от 0,00000001 до 1 000 000 рублей (не более 10 знаков после запятой)"
        ));
    }
    Ok(())
}

/// The error the UI turns into the question «введите курс вручную».
pub fn missing_rate(char_code: &str, on: NaiveDate) -> CoreError {
    CoreError {
        code: ErrorCode::MissingRate,
        message: format!(
            "Нет курса ЦБ {char_code} на {}: импортируйте файл курсов ЦБ на эту дату или введите курс вручную (раздел «Экспорт» → «Курсы ЦБ»)",
            on.format("%d.%m.%Y")
        ),
        field: Some(format!("rate:{char_code}:{on}")),
    }
}

/// Mon–Fri, for years the production calendar does not hold.
pub fn weekday_rule(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The record in force on `on` among `records` (date → record), by the rule of the module doc.
/// `is_working` tells the production calendar's verdict for a day.
pub fn effective<T: Clone>(
    on: NaiveDate,
    records: &std::collections::BTreeMap<NaiveDate, T>,
    is_working: impl Fn(NaiveDate) -> bool,
) -> Option<(NaiveDate, T)> {
    let mut d = on;
    // The longest run of non-working days in a Russian year (New Year holidays) is under 14 days.
    for _ in 0..16 {
        if let Some(r) = records.get(&d) {
            return Some((d, r.clone()));
        }
        let before = d.pred_opt()?;
        if is_working(before) {
            return None;
        }
        d = before;
    }
    None
}

#[cfg(test)]
mod tests;
