//! Agreements (соглашения): numbered per year, with items and their split checked by the cofinancing engine, contractors per item, the SME's payment schedule and stages; draft → signed → in progress → completed / terminated, money terms changed only by a supplementary agreement.

mod engine;
mod lifecycle;
mod number;
mod store;
mod write;

pub use engine::{budget_usage, check_agreement, check_proposal, requested_on, sme_history};
pub use lifecycle::{amend, sign, sign_by_decision, sign_event, sign_together, start, terminate, waivable};
pub(crate) use lifecycle::{complete_if_covered, start_in, terminate_for_application};
pub use number::{
    format_number, get_number_pattern, preview_number, set_number_pattern, validate_number_pattern,
    DEFAULT_NUMBER_PATTERN,
};
pub(crate) use store::create_in;
pub use store::{create, decision, get, list, update_draft};

use crate::catalog::ItemQuantity;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AgreementStatus {
    Draft,
    Signed,
    InProgress,
    Completed,
    Terminated,
}

impl AgreementStatus {
    pub const ALL: [AgreementStatus; 5] = [
        AgreementStatus::Draft,
        AgreementStatus::Signed,
        AgreementStatus::InProgress,
        AgreementStatus::Completed,
        AgreementStatus::Terminated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgreementStatus::Draft => "draft",
            AgreementStatus::Signed => "signed",
            AgreementStatus::InProgress => "in_progress",
            AgreementStatus::Completed => "completed",
            AgreementStatus::Terminated => "terminated",
        }
    }

    pub fn parse(s: &str) -> Option<AgreementStatus> {
        AgreementStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            AgreementStatus::Draft => "Проект",
            AgreementStatus::Signed => "Подписано",
            AgreementStatus::InProgress => "Услуга оказывается",
            AgreementStatus::Completed => "Исполнено",
            AgreementStatus::Terminated => "Расторгнуто",
        }
    }

    /// Signed and not yet closed: its centre share is committed in the budget.
    pub fn is_active(self) -> bool {
        matches!(self, AgreementStatus::Signed | AgreementStatus::InProgress)
    }
}

/// One item of the agreement as staff enter it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgreementItemInput {
    pub item_code: String,
    /// The cost the SME's share is computed on (for п. 4.3 without state fees).
    #[ts(type = "string")]
    pub cost: Decimal,
    #[ts(type = "string")]
    pub sme_share: Decimal,
    /// State fees paid in full by the centre (п. 4.3).
    #[serde(default)]
    #[ts(type = "string")]
    pub state_fees: Decimal,
    #[serde(default)]
    pub contractor_id: Option<i64>,
    /// The contractor's contract this item is bought under.
    #[serde(default)]
    pub contract_id: Option<i64>,
    /// Quantities for the item's limits in the catalog (guests × days, m², months, a condition).
    #[serde(default)]
    pub quantity: ItemQuantity,
}

/// One payment of the SME's share expected by the schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlannedPayment {
    pub due_on: NaiveDate,
    #[ts(type = "string")]
    pub amount: Decimal,
    /// §6.1.4: the deadline is set by this contractor's contract (of one of the agreement's items)
    /// rather than by the agreement.
    #[serde(default)]
    #[ts(optional)]
    pub contract_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StageInput {
    pub name: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: NaiveDate,
}

/// The form of a draft agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgreementInput {
    pub sme_id: i64,
    /// The application it answers (must be «Одобрена» to sign).
    pub application_id: Option<i64>,
    pub date: NaiveDate,
    pub service_code: String,
    #[serde(default)]
    pub participants: Option<u32>,
    /// The SME declared it received no subsidy for the same purpose.
    #[serde(default)]
    pub declaration_signed: bool,
    pub items: Vec<AgreementItemInput>,
    #[serde(default)]
    pub payment_schedule: Vec<PlannedPayment>,
    #[serde(default)]
    pub stages: Vec<StageInput>,
    /// The service's format when its catalog row has formats (5.7, 5.8).
    #[serde(default)]
    #[ts(optional)]
    pub format: Option<String>,
    /// §5.5.4: the competitive selection the SME won (protocol number and date).
    #[serde(default)]
    #[ts(optional)]
    pub selection: Option<String>,
    /// The mission, exhibition or accelerator (5.4–5.9) the service is given at; required when its
    /// catalog row counts participants — they are the event's signed agreements.
    #[serde(default)]
    #[ts(optional)]
    pub event_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgreementItem {
    pub item_code: String,
    pub name: String,
    #[ts(type = "string")]
    pub cost: Decimal,
    #[ts(type = "string")]
    pub sme_share: Decimal,
    #[ts(type = "string")]
    pub state_fees: Decimal,
    /// cost − SME share + state fees.
    #[ts(type = "string")]
    pub centre_share: Decimal,
    /// cost + state fees: what acts must cover.
    #[ts(type = "string")]
    pub total: Decimal,
    /// Covered by signed acts.
    #[ts(type = "string")]
    pub acted: Decimal,
    pub contractor_id: Option<i64>,
    pub contractor_name: Option<String>,
    pub contract_id: Option<i64>,
    pub contract_number: Option<String>,
    pub quantity: ItemQuantity,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Stage {
    pub id: i64,
    pub position: u32,
    pub name: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: NaiveDate,
}

/// The money terms a supplementary agreement changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MoneyTerms {
    pub items: Vec<AgreementItemInput>,
    pub payment_schedule: Vec<PlannedPayment>,
}

/// Дополнительное соглашение.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AmendmentInput {
    pub number: String,
    pub date: NaiveDate,
    pub items: Vec<AgreementItemInput>,
    /// A new schedule; `None` keeps the old one (it must still add up to the SME's share).
    #[serde(default)]
    pub payment_schedule: Option<Vec<PlannedPayment>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Amendment {
    pub id: i64,
    pub number: String,
    pub date: NaiveDate,
    pub before: MoneyTerms,
    pub after: MoneyTerms,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Agreement {
    pub id: i64,
    pub number: String,
    pub date: NaiveDate,
    pub sme_id: i64,
    pub sme_name: String,
    pub sme_inn: String,
    pub application_id: Option<i64>,
    pub catalog_version_id: i64,
    pub service_code: String,
    pub participants: Option<u32>,
    pub declaration_signed: bool,
    pub status: AgreementStatus,
    /// The day the centre received the original signed by the SME = start of service.
    pub signed_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    pub terminated_on: Option<NaiveDate>,
    pub termination_reason: String,
    pub items: Vec<AgreementItem>,
    pub payment_schedule: Vec<PlannedPayment>,
    pub stages: Vec<Stage>,
    pub amendments: Vec<Amendment>,
    #[ts(type = "string")]
    pub cost: Decimal,
    #[ts(type = "string")]
    pub sme_share: Decimal,
    #[ts(type = "string")]
    pub centre_share: Decimal,
    #[ts(type = "string")]
    pub total: Decimal,
    /// Received payments of the SME's share.
    #[ts(type = "string")]
    pub paid: Decimal,
    /// Signed by the head's decision despite a ground the centre may refuse on (§6.1.5).
    #[ts(optional)]
    pub decision: Option<HeadDecision>,
    /// The service's format (`ServiceFormat::code`), when its catalog row has formats.
    #[ts(optional)]
    pub format: Option<String>,
    /// Its name in the agreement's catalog version.
    #[ts(optional)]
    pub format_name: Option<String>,
    /// §5.5.4: the competitive selection the SME won.
    #[ts(optional)]
    pub selection: Option<String>,
    /// The event (mission, exhibition, accelerator) it is given at, and its title.
    #[ts(optional)]
    pub event_id: Option<i64>,
    #[ts(optional)]
    pub event_title: Option<String>,
}

/// The head's recorded decision to sign despite a right to refuse (§6.1 «ЦПЭ имеет право отказать»).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HeadDecision {
    /// The paragraph the centre could have refused on, «п. 6.1.5».
    pub paragraph: String,
    pub reason: String,
    pub decided_by: String,
    pub decided_at: String,
}

impl Agreement {
    pub fn terms(&self) -> MoneyTerms {
        MoneyTerms {
            items: self
                .items
                .iter()
                .map(|i| AgreementItemInput {
                    item_code: i.item_code.clone(),
                    cost: i.cost,
                    sme_share: i.sme_share,
                    state_fees: i.state_fees,
                    contractor_id: i.contractor_id,
                    contract_id: i.contract_id,
                    quantity: i.quantity.clone(),
                })
                .collect(),
            payment_schedule: self.payment_schedule.clone(),
        }
    }

    pub fn item(&self, code: &str) -> Option<&AgreementItem> {
        self.items.iter().find(|i| i.item_code == code)
    }
}

/// A row of the agreements list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgreementSummary {
    pub id: i64,
    pub number: String,
    pub date: NaiveDate,
    pub sme_id: i64,
    pub sme_name: String,
    pub service_code: String,
    pub status: AgreementStatus,
    pub signed_on: Option<NaiveDate>,
    #[ts(type = "string")]
    pub total: Decimal,
    #[ts(type = "string")]
    pub sme_share: Decimal,
    #[ts(type = "string")]
    pub centre_share: Decimal,
}

#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod tests;

#[cfg(test)]
mod decision_tests;
#[cfg(test)]
mod terms_tests;
#[cfg(test)]
mod usage_tests;
