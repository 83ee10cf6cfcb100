//! База иностранных покупателей (§2.15): the foreign companies the centre found for its SMEs — country, contacts, what they buy (ТН ВЭД codes), where they were found, the SMEs and export contracts linked to them — with search, filters and CSV/XLSX export.

mod export;
mod store;

pub use export::export;
pub use store::{add, card, delete, get, list, refold_search_text, update, BuyerCard, BuyerQuery, BuyerSme};
pub(crate) use store::{insert_from_counterparty, link_sme};

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, Problems};
use crate::oksm;

/// Where the centre found the buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BuyerSource {
    /// A service under an agreement (buyer search, business mission…).
    Service,
    /// An event (exhibition, reverse mission) without an agreement.
    Event,
    Other,
}

impl BuyerSource {
    pub fn as_str(self) -> &'static str {
        match self {
            BuyerSource::Service => "service",
            BuyerSource::Event => "event",
            BuyerSource::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<BuyerSource> {
        match s {
            "service" => Some(BuyerSource::Service),
            "event" => Some(BuyerSource::Event),
            "other" => Some(BuyerSource::Other),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BuyerSource::Service => "услуга ЦПЭ",
            BuyerSource::Event => "мероприятие",
            BuyerSource::Other => "другое",
        }
    }
}

/// What staff type on the buyer's card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ForeignBuyerInput {
    pub name: String,
    /// ОКСМ code.
    pub country_code: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub contact_person: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub website: String,
    /// What it buys, in words.
    #[serde(default)]
    pub products: String,
    /// ТН ВЭД codes (2–10 digits) separated by commas or spaces.
    #[serde(default)]
    pub hs_codes: String,
    pub source_kind: BuyerSource,
    /// The agreement whose service found it (with `Service`).
    #[serde(default)]
    pub source_agreement_id: Option<i64>,
    /// The event or other source in words.
    #[serde(default)]
    pub source_text: String,
    #[serde(default)]
    pub notes: String,
    /// SMEs the buyer is linked to (interested in, negotiating with, contracted).
    #[serde(default)]
    pub sme_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ForeignBuyer {
    pub id: i64,
    #[serde(flatten)]
    pub input: ForeignBuyerInput,
    pub country_name: String,
    /// Export contracts that name this buyer.
    pub contract_count: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// ТН ВЭД codes as typed → the stored form "0901, 210690"; every bad code is named.
pub fn normalize_hs_codes(text: &str) -> Result<String, String> {
    let mut out: Vec<String> = Vec::new();
    for code in text.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        if !(2..=10).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "«{code}» — код ТН ВЭД состоит из 2–10 цифр (группа 09, позиция 0901, подсубпозиция 0901210000)"
            ));
        }
        if !out.iter().any(|c| c == code) {
            out.push(code.to_owned());
        }
    }
    Ok(out.join(", "))
}

/// Every problem of the card at once.
pub fn validate(input: &ForeignBuyerInput) -> Vec<CoreError> {
    let mut p = Problems(crate::fields::check_record(input));
    if input.name.trim().is_empty() {
        p.push("name", "Наименование покупателя: укажите название компании");
    }
    if let Err(e) = oksm::validate_country("country_code", "Страна", &input.country_code) {
        p.0.push(e);
    }
    p.check("hs_codes", "Коды ТН ВЭД", normalize_hs_codes(&input.hs_codes));
    let email = input.email.trim();
    if !email.is_empty() && !email.contains('@') {
        p.push(
            "email",
            format!("Электронная почта «{email}»: укажите адрес вида name@example.com"),
        );
    }
    if input.source_kind == BuyerSource::Service && input.source_agreement_id.is_none() {
        p.push(
            "source_agreement_id",
            "Источник: выберите соглашение, по услуге которого найден покупатель, или укажите другой источник",
        );
    }
    p.0
}

#[cfg(test)]
mod tests;
