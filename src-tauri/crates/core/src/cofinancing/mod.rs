//! The cofinancing engine: a pure function deciding whether the centre may sign a proposed split of a service's cost between the SME and the centre, returning every violated rule with its source.
//!
//! Where the regulation leaves room for reading, the chosen reading and its setting are listed in
//! one place: `READINGS.md` next to this file.

mod calculator;
mod format_rule;
mod rules;
mod settings;

pub use calculator::{calculate, Calculation, CalculatorItem, CalculatorRequest};
pub use settings::{get_settings, save_settings};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::budget::BudgetStatus;
use crate::catalog::{ItemQuantity, ItemRole, ServiceCatalog};
use crate::money;

/// The staff's verdict on §4 eligibility of the SME, supplied by the eligibility check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EligibilityVerdict {
    Eligible,
    NotEligible,
    /// A check exists but is stale or its sources changed.
    NeedsRecheck,
    /// No check was made.
    Unknown,
}

/// The period over which the cap per SME sums the centre's shares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CapPeriod {
    /// Agreements concluded in the same financial (calendar) year as the new one.
    #[default]
    FinancialYear,
    /// Every agreement of the SME, ever.
    AllTime,
}

/// What the cap per SME of an item sums over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CapScope {
    /// The centre's shares of the same item code only: the website of 5.2 (5.2.a1) and that of
    /// 5.4 (5.4.a1) each have their own 150 000 ₽ — the table of разд. 3 sets a cap per item.
    #[default]
    ItemCode,
    /// Every item of the same kind of support (`CatalogItem::support_kind`) across services: one
    /// 150 000 ₽ for the SME's website however it was ordered.
    SupportKind,
}

/// Interpretations of the regulation the centre may change; defaults follow `domain.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct CofinancingSettings {
    /// The cap year is the calendar (financial) year of the agreement's date.
    pub cap_period: CapPeriod,
    pub cap_scope: CapScope,
    /// Warn when less than this fraction of a catalog row's budget would remain (0.10 = 10 %).
    #[ts(type = "string")]
    pub low_budget_warning_share: Decimal,
    /// §6.1.5: the look-back window in years …
    pub refusal_window_years: u32,
    /// … and the number of services closed by an act in it without an export contract.
    pub refusal_min_services: u32,
    /// Whether state fees the centre pays for п. 4.3 count towards the cap per SME.
    pub state_fees_count_toward_cap: bool,
    /// 000 §6: the day of the next year (month and day) from which an agreement's year's budget
    /// can no longer pay its acts — «расходование бюджетных средств до 1 апреля года, следующего
    /// за отчетным». Default 1 April: acts signed up to 31 March spend the agreement's year's money.
    /// 1 January means no carry-over (an act spends the budget of the year it is signed in).
    pub carry_over_month: u32,
    pub carry_over_day: u32,
}

impl Default for CofinancingSettings {
    fn default() -> Self {
        CofinancingSettings {
            cap_period: CapPeriod::FinancialYear,
            cap_scope: CapScope::ItemCode,
            low_budget_warning_share: Decimal::new(10, 2),
            refusal_window_years: 3,
            refusal_min_services: 3,
            state_fees_count_toward_cap: true,
            carry_over_month: 4,
            carry_over_day: 1,
        }
    }
}

/// An item of an earlier agreement of the SME and the centre's share in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PastItem {
    pub item_code: String,
    #[ts(type = "string")]
    pub centre_share: Decimal,
}

/// An earlier agreement of the SME (signed, not cancelled), closed when its final act is signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PastAgreement {
    pub id: i64,
    pub service_code: String,
    pub concluded_on: NaiveDate,
    /// Date of the act closing the service; `None` while it is being provided.
    pub closed_on: Option<NaiveDate>,
    pub items: Vec<PastItem>,
}

/// An export contract the SME reported as the result of an agreement's service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportContractRef {
    pub agreement_id: i64,
    pub concluded_on: NaiveDate,
}

/// What the centre has already given the SME.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SmeHistory {
    pub agreements: Vec<PastAgreement>,
    pub export_contracts: Vec<ExportContractRef>,
}

/// One item of the proposed agreement with its cost and the SME's share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProposedItem {
    pub item_code: String,
    /// The cost the SME's share is computed on (for п. 4.3: preparation, filing and paperwork, without state fees).
    #[ts(type = "string")]
    pub cost: Decimal,
    #[ts(type = "string")]
    pub sme_share: Decimal,
    /// State fees (пошлины) paid in full by the centre (п. 4.3 only).
    #[serde(default)]
    #[ts(type = "string")]
    pub state_fees: Decimal,
    /// The quantities the item's limits are checked against (guests × days, m², months).
    #[serde(default)]
    pub quantity: ItemQuantity,
}

/// The agreement the centre is about to sign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Proposal {
    pub service_code: String,
    pub items: Vec<ProposedItem>,
    /// SMEs served at once (business missions, accelerators); `None` when not given.
    pub participants: Option<u32>,
    /// The SME signed the declaration that it got no subsidy for the same purpose.
    pub declaration_signed: bool,
    /// The date of the request (the agreement's date).
    pub date: NaiveDate,
    /// The day the SME asked: its application's receipt. The §6.1.5 window is the years
    /// «предшествующих обращению», so it ends here; without an application, at `date`.
    #[serde(default)]
    #[ts(optional)]
    pub requested_on: Option<NaiveDate>,
    /// The service's format (`ServiceFormat::code`) when the catalog row has formats (5.7, 5.8).
    #[serde(default)]
    #[ts(optional)]
    pub format: Option<String>,
    /// §5.5.4: the competitive selection the SME won (protocol number and date), for a format
    /// given on a competitive basis.
    #[serde(default)]
    #[ts(optional)]
    pub selection: Option<String>,
}

/// Everything the engine looks at. The caller loads it; the engine reads no clock and no database.
#[derive(Debug, Clone, Copy)]
pub struct CheckInput<'a> {
    pub catalog: &'a ServiceCatalog,
    pub history: &'a SmeHistory,
    pub eligibility: EligibilityVerdict,
    pub proposal: &'a Proposal,
    /// The budget status of the proposal date's financial year.
    pub budget: &'a BudgetStatus,
    pub settings: &'a CofinancingSettings,
}

/// Stable codes of violated rules; the UI and scripts switch on these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ViolationCode {
    UnknownService,
    UnknownItem,
    InvalidAmount,
    EligibilityUnconfirmed,
    NotEligible,
    BaseItemMissing,
    AdditionalItemMissing,
    ParticipantsBelowMinimum,
    DeclarationMissing,
    SmeShareBelowMinimum,
    /// An item «на безвозмездной основе» carries an SME share.
    SmeShareOnFreeItem,
    /// The catalog row has formats and none (or an unknown one) is named.
    FormatMissing,
    /// §5.5.4: an individual stand without a competitive selection won.
    SelectionMissing,
    /// A quantity term of the item (per guest per day, area, months, a condition) is not met or not stated.
    ItemTermsNotMet,
    CapExceeded,
    BudgetExceeded,
    ThreeServicesNoContract,
}

impl ViolationCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ViolationCode::UnknownService => "unknown_service",
            ViolationCode::UnknownItem => "unknown_item",
            ViolationCode::InvalidAmount => "invalid_amount",
            ViolationCode::EligibilityUnconfirmed => "eligibility_unconfirmed",
            ViolationCode::NotEligible => "not_eligible",
            ViolationCode::BaseItemMissing => "base_item_missing",
            ViolationCode::AdditionalItemMissing => "additional_item_missing",
            ViolationCode::ParticipantsBelowMinimum => "participants_below_minimum",
            ViolationCode::DeclarationMissing => "declaration_missing",
            ViolationCode::SmeShareBelowMinimum => "sme_share_below_minimum",
            ViolationCode::SmeShareOnFreeItem => "sme_share_on_free_item",
            ViolationCode::ItemTermsNotMet => "item_terms_not_met",
            ViolationCode::FormatMissing => "format_missing",
            ViolationCode::SelectionMissing => "selection_missing",
            ViolationCode::CapExceeded => "cap_exceeded",
            ViolationCode::BudgetExceeded => "budget_exceeded",
            ViolationCode::ThreeServicesNoContract => "three_services_no_contract",
        }
    }
}

/// A rule that forbids signing, with the paragraph it comes from and the numbers behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Violation {
    pub code: ViolationCode,
    pub message: String,
    pub source: String,
    /// The item the violation belongs next to on the form; `None` for the whole agreement.
    pub item_code: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WarningCode {
    /// Less than the set share of the catalog row's budget would remain.
    BudgetLow,
}

/// Something staff should know that does not forbid signing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Warning {
    pub code: WarningCode,
    pub message: String,
    pub source: String,
}

/// How much of an item's cap per SME is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CapUse {
    #[ts(type = "string")]
    pub cap: Decimal,
    /// Already used in the period by earlier agreements.
    #[ts(type = "string")]
    pub used: Decimal,
    #[ts(type = "string")]
    pub this_request: Decimal,
    /// cap − used − this request (negative when exceeded).
    #[ts(type = "string")]
    pub remaining: Decimal,
}

/// The split of one proposed item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ItemSplit {
    pub item_code: String,
    pub name: String,
    #[ts(type = "string")]
    pub cost: Decimal,
    #[ts(type = "string")]
    pub state_fees: Decimal,
    #[ts(type = "string")]
    pub min_sme_rate: Decimal,
    #[ts(type = "string")]
    pub min_sme_share: Decimal,
    #[ts(type = "string")]
    pub sme_share: Decimal,
    /// cost − SME share + state fees.
    #[ts(type = "string")]
    pub centre_share: Decimal,
    pub cap: Option<CapUse>,
}

/// The verdict: the split and every violation; signable exactly when there are no violations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CofinancingCheck {
    pub signable: bool,
    /// Items in catalog order (the input order does not matter).
    pub items: Vec<ItemSplit>,
    #[ts(type = "string")]
    pub cost: Decimal,
    #[ts(type = "string")]
    pub state_fees: Decimal,
    #[ts(type = "string")]
    pub min_sme_share: Decimal,
    #[ts(type = "string")]
    pub sme_share: Decimal,
    #[ts(type = "string")]
    pub centre_share: Decimal,
    pub violations: Vec<Violation>,
    pub warnings: Vec<Warning>,
}

/// The SME's minimum share of `cost` at `rate`: cost × rate rounded up to the kopeck.
pub fn min_sme_share(cost: Decimal, rate: Decimal) -> Decimal {
    money::kopecks_up(cost * rate)
}

/// The centre's share: what the SME does not pay, plus state fees the centre pays in full.
pub fn centre_share(cost: Decimal, sme_share: Decimal, state_fees: Decimal) -> Decimal {
    money::kopecks(cost - sme_share + state_fees)
}

/// Checks a proposal against every rule and returns the split, all violations and warnings.
pub fn check(input: &CheckInput) -> CofinancingCheck {
    let mut out = rules::Outcome::default();
    rules::eligibility(input, &mut out);
    let Some(service) = input.catalog.service(&input.proposal.service_code) else {
        out.violation(
            ViolationCode::UnknownService,
            format!(
                "Услуги «{}» нет в каталоге услуг от {}. Выберите услугу из каталога.",
                input.proposal.service_code,
                input.catalog.effective_from.format("%d.%m.%Y")
            ),
            "разд. 3",
            None,
        );
        return out.finish(Vec::new());
    };
    // Sort by catalog position (then by amounts) so that the result never depends on input order.
    let position = |code: &str| service.items.iter().position(|i| i.code == code).unwrap_or(usize::MAX);
    let mut proposed: Vec<&ProposedItem> = input.proposal.items.iter().collect();
    proposed.sort_by(|a, b| {
        (position(&a.item_code), &a.item_code, a.cost, a.sme_share, a.state_fees).cmp(&(
            position(&b.item_code),
            &b.item_code,
            b.cost,
            b.sme_share,
            b.state_fees,
        ))
    });
    let mut chosen = Vec::new();
    for p in proposed {
        match service.item(&p.item_code) {
            Some(item) => chosen.push((item, p)),
            None => out.violation(
                ViolationCode::UnknownItem,
                format!(
                    "«{}» не входит в состав услуги {}. Уберите её или выберите из состава услуги.",
                    p.item_code, service.code
                ),
                service.source.clone(),
                Some(p.item_code.clone()),
            ),
        }
    }
    if service.items.len() == 1 && service.items[0].role == ItemRole::Whole && chosen.is_empty() {
        out.violation(
            ViolationCode::InvalidAmount,
            format!("Услуга {}: укажите стоимость услуги", service.code),
            service.source.clone(),
            None,
        );
    }
    rules::structure(input, service, &chosen, &mut out);
    rules::quantities(&chosen, &mut out);
    format_rule::format(input, service, &mut out);
    let splits = rules::amounts(input, &chosen, &mut out);
    rules::budget(input, service, &splits, &mut out);
    rules::three_services(input, service, &mut out);
    out.finish(splits)
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
