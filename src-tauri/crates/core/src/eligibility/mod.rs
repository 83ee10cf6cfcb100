//! Eligibility of an SME for support (§4.2, §4.3 of the regulation): the criteria, a recorded check (who, when, against which source, outcome per criterion) and the current verdict.
//!
//! A staff member checks every criterion (§4.4). Criteria 1–2 of §4.3 are prefilled from the
//! newest imported snapshot of the tax service's SME registry; the rest start as "unknown".
//! The rules here are pure: today, the newest import and the re-check period are passed in.

mod store;

pub use store::{automatic, current, history, prefill, recheck_days, record, set_recheck_days, RECHECK_DAYS_KEY};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::fns_registry::{FnsRecord, FnsSnapshot};
use crate::sme::SmeKind;

/// What is checked. The first two come from §4.3 items 1–2 (for the self-employed, item 1 is
/// replaced by registration as a payer of the professional income tax, §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Criterion {
    /// §4.3 п. 1: included in the unified SME registry.
    InSmeRegistry,
    /// §4.1: the self-employed person is registered as an НПД payer.
    NpdPayer,
    /// §4.3 п. 2, §4.1: registered in the centre's region.
    InCentreRegion,
    /// §4.2: not in reorganisation or liquidation, not bankrupt, activity not suspended.
    NotInLiquidation,
    /// §4.3 п. 3: not in one group of persons (135-ФЗ) with the centre or the contractor.
    NotSameGroup,
    /// §4.3 п. 4: not a credit or insurance organisation, investment or pension fund, securities professional, pawnshop.
    NotFinancialOrganisation,
    /// §4.3 п. 5: not a party to a production sharing agreement.
    NotProductionSharing,
    /// §4.3 п. 6: not in the gambling business.
    NotGambling,
    /// §4.3 п. 7: not a currency non-resident of Russia.
    NotCurrencyNonResident,
    /// §4.3 п. 8: does not produce or sell excisable goods, nor extract or sell minerals (except common ones).
    NotExciseOrMinerals,
}

impl Criterion {
    pub const ALL: [Criterion; 10] = [
        Criterion::InSmeRegistry,
        Criterion::NpdPayer,
        Criterion::InCentreRegion,
        Criterion::NotInLiquidation,
        Criterion::NotSameGroup,
        Criterion::NotFinancialOrganisation,
        Criterion::NotProductionSharing,
        Criterion::NotGambling,
        Criterion::NotCurrencyNonResident,
        Criterion::NotExciseOrMinerals,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Criterion::InSmeRegistry => "in_sme_registry",
            Criterion::NpdPayer => "npd_payer",
            Criterion::InCentreRegion => "in_centre_region",
            Criterion::NotInLiquidation => "not_in_liquidation",
            Criterion::NotSameGroup => "not_same_group",
            Criterion::NotFinancialOrganisation => "not_financial_organisation",
            Criterion::NotProductionSharing => "not_production_sharing",
            Criterion::NotGambling => "not_gambling",
            Criterion::NotCurrencyNonResident => "not_currency_non_resident",
            Criterion::NotExciseOrMinerals => "not_excise_or_minerals",
        }
    }

    pub fn parse(s: &str) -> Option<Criterion> {
        Criterion::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The requirement as the UI states it.
    pub fn label(self) -> &'static str {
        match self {
            Criterion::InSmeRegistry => "Включён в единый реестр субъектов МСП",
            Criterion::NpdPayer => "Зарегистрирован как плательщик налога на профессиональный доход",
            Criterion::InCentreRegion => "Зарегистрирован в регионе центра",
            Criterion::NotInLiquidation => {
                "Не в состоянии реорганизации или ликвидации, не банкрот, деятельность не приостановлена"
            }
            Criterion::NotSameGroup => "Не состоит в одной группе лиц с ЦПЭ или исполнителем",
            Criterion::NotFinancialOrganisation => {
                "Не кредитная или страховая организация, не инвестиционный или негосударственный пенсионный фонд, \
                 не профучастник рынка ценных бумаг, не ломбард"
            }
            Criterion::NotProductionSharing => "Не участник соглашений о разделе продукции",
            Criterion::NotGambling => "Не ведёт деятельность в сфере игорного бизнеса",
            Criterion::NotCurrencyNonResident => "Не является валютным нерезидентом РФ",
            Criterion::NotExciseOrMinerals => {
                "Не производит и не реализует подакцизные товары, не добывает и не реализует полезные ископаемые \
                 (кроме общераспространённых)"
            }
        }
    }

    /// Where the rule comes from, shown next to it.
    pub fn rule_source(self) -> &'static str {
        match self {
            Criterion::InSmeRegistry => "Регламент, п. 4.3, пп. 1",
            Criterion::NpdPayer => "Регламент, п. 4.1",
            Criterion::InCentreRegion => "Регламент, п. 4.1; п. 4.3, пп. 2",
            Criterion::NotInLiquidation => "Регламент, п. 4.2",
            Criterion::NotSameGroup => "Регламент, п. 4.3, пп. 3",
            Criterion::NotFinancialOrganisation => "Регламент, п. 4.3, пп. 4",
            Criterion::NotProductionSharing => "Регламент, п. 4.3, пп. 5",
            Criterion::NotGambling => "Регламент, п. 4.3, пп. 6",
            Criterion::NotCurrencyNonResident => "Регламент, п. 4.3, пп. 7",
            Criterion::NotExciseOrMinerals => "Регламент, п. 4.3, пп. 8",
        }
    }

    /// The criteria a check of an SME of this kind must answer, in display order.
    pub fn required_for(kind: SmeKind) -> Vec<Criterion> {
        Criterion::ALL
            .into_iter()
            .filter(|c| match c {
                Criterion::InSmeRegistry => kind != SmeKind::SelfEmployed,
                Criterion::NpdPayer => kind == SmeKind::SelfEmployed,
                _ => true,
            })
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Outcome {
    /// The requirement is met.
    Pass,
    /// The requirement is not met: support is refused (§6.1.1).
    Fail,
    /// Not checked yet or not known.
    Unknown,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        [Outcome::Pass, Outcome::Fail, Outcome::Unknown]
            .into_iter()
            .find(|o| o.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Pass => "соответствует",
            Outcome::Fail => "не соответствует",
            Outcome::Unknown => "не проверено",
        }
    }
}

/// One criterion of a check: its outcome and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CriterionResult {
    pub criterion: Criterion,
    pub outcome: Outcome,
    pub reason: String,
}

impl CriterionResult {
    pub fn new(criterion: Criterion, outcome: Outcome, reason: impl Into<String>) -> Self {
        CriterionResult {
            criterion,
            outcome,
            reason: reason.into(),
        }
    }
}

/// What the check relied on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum CheckSource {
    /// An imported snapshot of the SME registry. The id is cleared if the snapshot is deleted
    /// later; its date stays.
    Snapshot {
        snapshot_id: Option<i64>,
        state_date: NaiveDate,
    },
    /// Checked by hand (e.g. on the tax service's site); the comment says where and how.
    Manual { comment: String },
}

/// What the check form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckInput {
    pub sme_id: i64,
    pub source: CheckSource,
    pub criteria: Vec<CriterionResult>,
}

/// The outcome of a check at the moment it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CheckOutcome {
    Eligible,
    NotEligible,
    /// Some criteria are not answered.
    Incomplete,
}

impl CheckOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckOutcome::Eligible => "eligible",
            CheckOutcome::NotEligible => "not_eligible",
            CheckOutcome::Incomplete => "incomplete",
        }
    }

    pub fn parse(s: &str) -> Option<CheckOutcome> {
        [
            CheckOutcome::Eligible,
            CheckOutcome::NotEligible,
            CheckOutcome::Incomplete,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }
}

/// A recorded check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Check {
    pub id: i64,
    pub sme_id: i64,
    pub checked_at: String,
    pub checked_by: String,
    pub source: CheckSource,
    pub criteria: Vec<CriterionResult>,
    pub outcome: CheckOutcome,
}

impl Check {
    pub fn failed(&self) -> Vec<Criterion> {
        with_outcome(&self.criteria, Outcome::Fail)
    }
}

/// The verdict the SME card shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Verdict {
    Eligible,
    NotEligible,
    NeedsRecheck,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Eligible => "Соответствует требованиям",
            Verdict::NotEligible => "Не соответствует требованиям",
            Verdict::NeedsRecheck => "Нужна проверка",
        }
    }
}

/// The current verdict with its reasons and the check it rests on (none: never checked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CurrentVerdict {
    pub verdict: Verdict,
    /// Criteria that failed in the check (also when a re-check is due).
    pub failed: Vec<Criterion>,
    /// Why, in Russian, one line each.
    pub reasons: Vec<String>,
    pub check: Option<Check>,
}

fn with_outcome(criteria: &[CriterionResult], outcome: Outcome) -> Vec<Criterion> {
    criteria
        .iter()
        .filter(|c| c.outcome == outcome)
        .map(|c| c.criterion)
        .collect()
}

/// The outcome of a set of answers: any failure decides; otherwise any unanswered criterion
/// leaves it incomplete.
pub fn outcome_of(criteria: &[CriterionResult]) -> CheckOutcome {
    if criteria.iter().any(|c| c.outcome == Outcome::Fail) {
        CheckOutcome::NotEligible
    } else if criteria.iter().any(|c| c.outcome == Outcome::Unknown) {
        CheckOutcome::Incomplete
    } else {
        CheckOutcome::Eligible
    }
}

fn list(criteria: &[Criterion]) -> String {
    criteria
        .iter()
        .map(|c| format!("«{}»", c.label()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The verdict of the newest check today. A check goes stale (needs re-check) when it is older
/// than `recheck_days`, or when a registry snapshot was imported after it that is newer than the
/// one it relied on (a manual check: any import after it) — the registry may now say otherwise.
pub fn verdict(
    check: Option<&Check>,
    newest_import: Option<&FnsSnapshot>,
    today: NaiveDate,
    recheck_days: u32,
) -> CurrentVerdict {
    let Some(check) = check else {
        return CurrentVerdict {
            verdict: Verdict::NeedsRecheck,
            failed: Vec::new(),
            reasons: vec!["Проверка соответствия требованиям п. 4 регламента ещё не проводилась".into()],
            check: None,
        };
    };
    let failed = check.failed();
    let mut reasons = Vec::new();
    let checked_on =
        NaiveDate::parse_from_str(check.checked_at.get(..10).unwrap_or(""), "%Y-%m-%d").unwrap_or(NaiveDate::MIN);
    let age = (today - checked_on).num_days();
    if age > i64::from(recheck_days) {
        reasons.push(format!(
            "Проверка от {} старше {recheck_days} дн. (прошло {age} дн.) — проверьте заново",
            checked_on.format("%d.%m.%Y")
        ));
    }
    if let Some(newest) = newest_import {
        let newer_data = match &check.source {
            CheckSource::Snapshot { state_date, .. } => newest.state_date > *state_date,
            CheckSource::Manual { .. } => true,
        };
        if newer_data && newest.imported_at > check.checked_at {
            reasons.push(format!(
                "После проверки загружена более новая {} — проверьте заново",
                newest.title()
            ));
        }
    }
    let verdict = if !reasons.is_empty() {
        if !failed.is_empty() {
            reasons.push(format!("По прошлой проверке не соответствовал: {}", list(&failed)));
        }
        Verdict::NeedsRecheck
    } else {
        match outcome_of(&check.criteria) {
            CheckOutcome::Eligible => {
                reasons.push(format!(
                    "Все требования выполнены (проверка от {})",
                    checked_on.format("%d.%m.%Y")
                ));
                Verdict::Eligible
            }
            CheckOutcome::NotEligible => {
                for c in check.criteria.iter().filter(|c| c.outcome == Outcome::Fail) {
                    reasons.push(format!("Не выполнено: «{}» — {}", c.criterion.label(), c.reason));
                }
                Verdict::NotEligible
            }
            CheckOutcome::Incomplete => {
                reasons.push(format!(
                    "Не проверены: {}",
                    list(&with_outcome(&check.criteria, Outcome::Unknown))
                ));
                Verdict::NeedsRecheck
            }
        }
    };
    CurrentVerdict {
        verdict,
        failed,
        reasons,
        check: Some(check.clone()),
    }
}

/// What the registry says about criteria 1–2 for an SME of `kind` with the given INN.
///
/// `holding` is the newest snapshot holding the INN (with its record); `newer` the newest
/// snapshot of all, if it is later than that one or nothing holds the INN. An SME missing from
/// a later snapshot that covers its region has left the registry.
pub fn automatic_criteria(
    kind: SmeKind,
    holding: Option<(&FnsSnapshot, &FnsRecord)>,
    newest: Option<&FnsSnapshot>,
    centre_region: &str,
) -> (Option<CheckSource>, Vec<CriterionResult>) {
    use Criterion::{InCentreRegion, InSmeRegistry, NpdPayer};
    use Outcome::{Fail, Pass, Unknown};
    let source = |s: &FnsSnapshot| {
        Some(CheckSource::Snapshot {
            snapshot_id: Some(s.id),
            state_date: s.state_date,
        })
    };
    let date = |s: &FnsSnapshot| s.state_date.format("%d.%m.%Y").to_string();
    if kind == SmeKind::SelfEmployed {
        return (
            None,
            vec![
                CriterionResult::new(
                    NpdPayer,
                    Unknown,
                    "Самозанятые не входят в реестр МСП: проверьте регистрацию плательщиком НПД на сайте ФНС и укажите это в комментарии",
                ),
                CriterionResult::new(InCentreRegion, Unknown, "Проверьте, что самозанятый зарегистрирован и работает в регионе центра"),
            ],
        );
    }
    let Some(newest) = newest else {
        let why = "Выгрузка реестра МСП не загружена: загрузите её или проверьте на сайте ФНС вручную";
        return (
            None,
            vec![
                CriterionResult::new(InSmeRegistry, Unknown, why),
                CriterionResult::new(InCentreRegion, Unknown, why),
            ],
        );
    };
    let region = |rec: &FnsRecord| {
        if centre_region.is_empty() {
            CriterionResult::new(
                InCentreRegion,
                Unknown,
                "В реквизитах центра не указан код региона — заполните его в настройках",
            )
        } else if rec.region_code == centre_region {
            CriterionResult::new(
                InCentreRegion,
                Pass,
                format!("Зарегистрирован в регионе {}", rec.region_code),
            )
        } else {
            CriterionResult::new(
                InCentreRegion,
                Fail,
                format!(
                    "Зарегистрирован в регионе {}, а центр работает в регионе {centre_region}",
                    rec.region_code
                ),
            )
        }
    };
    match holding {
        Some((snap, rec)) if newest.state_date > snap.state_date && newest.covers_region(&rec.region_code) => (
            source(newest),
            vec![
                CriterionResult::new(
                    InSmeRegistry,
                    Fail,
                    format!(
                        "Нет в выгрузке на {}; был в реестре по выгрузке на {} — исключён из реестра МСП",
                        date(newest),
                        date(snap)
                    ),
                ),
                region(rec),
            ],
        ),
        Some((snap, rec)) => {
            let since = rec
                .included_on
                .map(|d| format!(" с {}", d.format("%d.%m.%Y")))
                .unwrap_or_default();
            let reason = format!(
                "В реестре МСП{since}, категория «{}» (выгрузка на {})",
                rec.category.label(),
                date(snap)
            );
            (
                source(snap),
                vec![CriterionResult::new(InSmeRegistry, Pass, reason), region(rec)],
            )
        }
        None if newest.regions.is_empty() => (
            source(newest),
            vec![
                CriterionResult::new(
                    InSmeRegistry,
                    Fail,
                    format!("ИНН не найден в выгрузке реестра МСП на {} (все регионы)", date(newest)),
                ),
                CriterionResult::new(InCentreRegion, Unknown, "В реестре МСП нет сведений о регионе"),
            ],
        ),
        None => {
            let why = format!(
                "ИНН не найден в выгрузке на {} по регионам {}: либо не в реестре МСП, либо зарегистрирован в другом регионе — проверьте на сайте ФНС",
                date(newest),
                newest.regions.join(", ")
            );
            (
                source(newest),
                vec![
                    CriterionResult::new(InSmeRegistry, Unknown, why.clone()),
                    CriterionResult::new(InCentreRegion, Unknown, why),
                ],
            )
        }
    }
}

#[cfg(test)]
mod tests;
