//! Экспортные контракты: the export contracts and international e-commerce sales an SME reports as the result of the centre's support (§5.5.2), their volume by year in thousand US dollars at the Central Bank's rates of the contract date, the 15-working-day reporting deadline, and the reminder list of SMEs silent within their 3-year window.

mod check;
mod reminders;
mod store;

pub use check::{check, support_options, ExportContractCheck, SupportOption};
pub use reminders::{
    add_contact, get_reminder_settings, reminders, reminders_pdf, save_reminder_settings, ExportReminder,
    ReminderContactInput, ReminderSettings,
};
pub use store::{add, cancel, export_refs, get, list, refold_search_text, update, ExportContractQuery};

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The reporting deadline: working days after the contract (sale) date (§5.5.2).
pub const REPORT_WORKING_DAYS: u32 = 15;

/// Экспортный контракт или продажа через международную электронную торговлю.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportKind {
    Contract,
    Ecommerce,
}

impl ExportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportKind::Contract => "contract",
            ExportKind::Ecommerce => "ecommerce",
        }
    }

    pub fn parse(s: &str) -> Option<ExportKind> {
        match s {
            "contract" => Some(ExportKind::Contract),
            "ecommerce" => Some(ExportKind::Ecommerce),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ExportKind::Contract => "экспортный контракт",
            ExportKind::Ecommerce => "продажа через электронную торговлю",
        }
    }
}

/// Export volume of one year as typed, in the contract's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VolumeInput {
    pub year: i32,
    /// As typed: "1 250 000,50".
    pub amount: String,
}

/// What staff type on the export contract form. Amounts are text as typed, read by the core.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportContractInput {
    pub sme_id: i64,
    pub kind: ExportKind,
    /// The agreement whose service the contract results from; `None` — reported, but not a
    /// result of the centre's support (does not count in the KPIs or for §6.1.5).
    #[serde(default)]
    pub agreement_id: Option<i64>,
    pub subject: String,
    #[serde(default)]
    pub number: String,
    pub contract_date: NaiveDate,
    /// ОКСМ code of the export country («страна экспорта», §5.5.2).
    pub country_code: String,
    /// The foreign buyer record, if the counterparty is in the database.
    #[serde(default)]
    pub buyer_id: Option<i64>,
    /// With no `buyer_id`: add the counterparty to the foreign buyers' database.
    #[serde(default)]
    pub create_buyer: bool,
    pub counterparty_name: String,
    /// ISO 4217 letter code (RUB allowed).
    pub currency: String,
    /// The contract's total in its currency, as typed.
    pub amount: String,
    #[serde(default)]
    pub volumes: Vec<VolumeInput>,
    /// The day the SME reported it to the centre.
    pub reported_on: NaiveDate,
    #[serde(default)]
    pub notes: String,
}

/// The volume of one year, converted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportVolume {
    pub year: i32,
    #[ts(type = "string")]
    pub amount: Decimal,
    #[ts(type = "string")]
    pub usd_thousand: Decimal,
}

/// A stored export contract with what the screens show next to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportContract {
    pub id: i64,
    pub sme_id: i64,
    pub sme_name: String,
    pub sme_inn: String,
    pub kind: ExportKind,
    pub agreement_id: Option<i64>,
    pub agreement_number: Option<String>,
    /// The catalog service of the agreement (e.g. "5.2").
    pub item_code: Option<String>,
    pub subject: String,
    pub number: String,
    pub contract_date: NaiveDate,
    pub country_code: String,
    pub country_name: String,
    pub buyer_id: Option<i64>,
    pub counterparty_name: String,
    pub currency: String,
    #[ts(type = "string")]
    pub amount: Decimal,
    /// Roubles for one unit of the currency on the contract date, frozen when entered.
    #[ts(type = "string")]
    pub rate_currency: Decimal,
    /// Roubles for one US dollar on the contract date, frozen when entered.
    #[ts(type = "string")]
    pub rate_usd: Decimal,
    /// The total in thousand US dollars.
    #[ts(type = "string")]
    pub usd_thousand: Decimal,
    pub volumes: Vec<ExportVolume>,
    pub reported_on: NaiveDate,
    /// 15 working days after the contract date; `None` when the production calendar lacks the year.
    pub due_on: Option<NaiveDate>,
    /// Reported after `due_on`.
    pub late: bool,
    pub notes: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    /// Why a contract linked to an agreement does not count in KPIs 2 and 3 although it is not
    /// cancelled: concluded before the agreement, it is no result of that support.
    #[serde(default)]
    #[ts(optional)]
    pub not_counted: Option<String>,
    /// Set when the contract was cancelled: it is kept, shown struck out, and counted nowhere.
    pub cancelled: Option<Cancellation>,
}

/// Who cancelled a record, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Cancellation {
    pub at: NaiveDateTime,
    pub by: String,
    pub reason: String,
}

#[cfg(test)]
mod tests;
