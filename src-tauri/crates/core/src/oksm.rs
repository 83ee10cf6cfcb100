//! The classifiers export records are written in: ОКСМ countries (ОК 025-2001) and the currencies of the Central Bank's official rates, shipped as data in `assets/oksm` and embedded at build time.

use std::sync::OnceLock;

use serde::Serialize;
use ts_rs::TS;

use crate::error::CoreError;

const OKSM_CSV: &str = include_str!("../../../../assets/oksm/oksm.csv");
const CURRENCIES_CSV: &str = include_str!("../../../../assets/oksm/currencies.csv");

/// One country of ОКСМ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Country {
    /// Three-digit numeric code, e.g. "156".
    pub code: String,
    pub alpha2: String,
    pub alpha3: String,
    /// Краткое наименование.
    pub name: String,
}

/// One currency the Central Bank sets an official rate for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Currency {
    /// ISO 4217 letter code, e.g. "USD".
    pub char_code: String,
    pub num_code: String,
    /// The Bank's internal id used by its dynamic series files, e.g. "R01235".
    pub cbr_id: String,
    pub name: String,
}

/// Rows of an embedded CSV without its header. The files are ours and have no quoted commas.
fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').collect())
}

pub fn countries() -> &'static [Country] {
    static C: OnceLock<Vec<Country>> = OnceLock::new();
    C.get_or_init(|| {
        rows(OKSM_CSV)
            .map(|r| Country {
                code: r[0].to_owned(),
                alpha2: r[1].to_owned(),
                alpha3: r[2].to_owned(),
                name: r[3].to_owned(),
            })
            .collect()
    })
}

pub fn currencies() -> &'static [Currency] {
    static C: OnceLock<Vec<Currency>> = OnceLock::new();
    C.get_or_init(|| {
        rows(CURRENCIES_CSV)
            .map(|r| Currency {
                char_code: r[0].to_owned(),
                num_code: r[1].to_owned(),
                cbr_id: r[2].to_owned(),
                name: r[3].to_owned(),
            })
            .collect()
    })
}

/// The country with this numeric code (leading zeros may be omitted: "4" is Afghanistan, "004").
pub fn country(code: &str) -> Option<&'static Country> {
    let code = code.trim();
    if code.is_empty() || code.len() > 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let code = format!("{code:0>3}");
    countries().iter().find(|c| c.code == code)
}

/// The country's short name, or the code itself for a code the classifier does not hold (a
/// record made before a change of ОКСМ stays readable).
pub fn country_name(code: &str) -> String {
    country(code).map_or_else(|| code.to_owned(), |c| c.name.clone())
}

/// Checks a country code a person typed and returns it as stored (three digits).
pub fn validate_country(field: &str, label: &str, code: &str) -> Result<String, CoreError> {
    let code = code.trim();
    if code.is_empty() {
        return Err(CoreError::field(field, format!("{label}: выберите страну по ОКСМ")));
    }
    country(code).map(|c| c.code.clone()).ok_or_else(|| {
        CoreError::field(
            field,
            format!("{label}: кода «{code}» нет в ОКСМ; выберите страну из списка (трёхзначный цифровой код, например 156 — Китай)"),
        )
    })
}

pub fn currency(char_code: &str) -> Option<&'static Currency> {
    let code = char_code.trim().to_uppercase();
    currencies().iter().find(|c| c.char_code == code)
}

/// The currency whose dynamic series the Bank publishes under `cbr_id`.
pub fn currency_by_cbr_id(cbr_id: &str) -> Option<&'static Currency> {
    currencies()
        .iter()
        .find(|c| c.cbr_id.eq_ignore_ascii_case(cbr_id.trim()))
}

/// Russian rouble: contracts may be in roubles, for which no rate is needed.
pub const RUB: &str = "RUB";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifier_is_complete_and_consistent() {
        let c = countries();
        assert!(c.len() >= 250, "{} countries", c.len());
        let mut codes: Vec<_> = c.iter().map(|c| c.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), c.len(), "numeric codes are unique");
        for x in c {
            assert!(x.code.len() == 3 && x.code.bytes().all(|b| b.is_ascii_digit()), "{x:?}");
            assert!(x.alpha2.len() == 2 && x.alpha3.len() == 3, "{x:?}");
            assert!(
                !x.name.is_empty() && !x.name.chars().any(|ch| ch.is_ascii_alphabetic()),
                "{x:?}"
            );
        }
        assert_eq!(country("156").unwrap().name, "Китай");
        assert_eq!(country("840").unwrap().name, "Соединенные Штаты");
        assert_eq!(country("4").unwrap().code, "004");
        assert_eq!(country("398").unwrap().alpha2, "KZ");
        assert_eq!(country("895").unwrap().name, "Абхазия");
        assert!(country("999").is_none());
        assert!(country("15a").is_none());
    }

    #[test]
    fn unknown_country_is_refused_naming_the_field() {
        let e = validate_country("country_code", "Страна", "999").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("country_code"));
        assert!(e.message.contains("999") && e.message.contains("ОКСМ"), "{}", e.message);
        assert_eq!(validate_country("country_code", "Страна", " 51 ").unwrap(), "051");
    }

    #[test]
    fn currencies_carry_the_bank_ids() {
        assert_eq!(currency("usd").unwrap().cbr_id, "R01235");
        assert_eq!(currency_by_cbr_id("R01239").unwrap().char_code, "EUR");
        assert_eq!(currency("JPY").unwrap().name, "Японская иена");
        let mut ids: Vec<_> = currencies().iter().map(|c| &c.cbr_id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), currencies().len());
    }
}
