//! The live calculator behind the agreement form: amounts as staff type them, the SME from the registry and its recorded eligibility, the catalog and budget in force on the date — loaded here and handed to the pure engine.

use crate::db::Db;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    check, get_settings, CheckInput, CofinancingCheck, EligibilityVerdict, Proposal, ProposedItem, SmeHistory,
};
use crate::budget::{self, BudgetRow};
use crate::catalog;
use crate::eligibility::{self, Verdict};
use crate::error::{CoreError, Result};
use crate::{money, sme};

/// One item of the calculator with its amounts as typed (`1 250 000,00`, `1250000`, empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalculatorItem {
    pub item_code: String,
    pub cost: String,
    /// Empty means zero.
    pub sme_share: String,
    /// State fees paid by the centre (п. 4.3); empty means zero.
    pub state_fees: String,
    /// Quantities for the item's limits (guests × days, m², months, a condition).
    #[serde(default)]
    pub quantity: crate::catalog::ItemQuantity,
}

/// What the calculator (and later the agreement form) sends on every change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalculatorRequest {
    /// The service's format (5.7, 5.8) and, for one given on a competitive basis, the selection won.
    #[serde(default)]
    #[ts(optional)]
    pub format: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub selection: Option<String>,
    pub sme_id: Option<i64>,
    pub service_code: String,
    pub date: NaiveDate,
    pub items: Vec<CalculatorItem>,
    pub participants: Option<u32>,
    pub declaration_signed: bool,
    /// The application the agreement answers, if any (§6.1.5 looks back from its receipt).
    #[serde(default)]
    #[ts(optional)]
    pub application_id: Option<i64>,
}

/// The answer: the engine's verdict plus what the form shows around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Calculation {
    /// The catalog version in force on the date (the agreement would be concluded under it).
    pub catalog_id: i64,
    pub catalog_effective_from: NaiveDate,
    /// Amounts that could not be read, under fields `items.CODE.cost`, `items.CODE.sme_share`,
    /// `items.CODE.state_fees`, and `sme` when no SME is chosen.
    pub input_errors: Vec<CoreError>,
    pub eligibility: EligibilityVerdict,
    /// Why the eligibility is what it is, one line each.
    pub eligibility_reasons: Vec<String>,
    pub check: CofinancingCheck,
    pub year: i32,
    /// The service's line of the year's budget before this request.
    pub budget_line: Option<BudgetRow>,
    /// What would remain on the line after this request (`None` without a budget line).
    #[ts(type = "string | null")]
    pub budget_after: Option<Decimal>,
    pub budget_total: BudgetRow,
    /// No violation and every amount readable: the agreement may be signed.
    pub signable: bool,
}

/// Reads an amount as typed; empty is zero unless `required`.
fn amount(errors: &mut Vec<CoreError>, field: String, label: &str, text: &str, required: bool) -> Decimal {
    if text.trim().is_empty() && !required {
        return Decimal::ZERO;
    }
    money::parse_rub(text).unwrap_or_else(|reason| {
        errors.push(CoreError::field(&field, format!("{label}: {reason}")));
        Decimal::ZERO
    })
}

/// Runs the engine for the request as of `today` (the day eligibility checks are judged stale on).
pub fn calculate(conn: &Db, request: &CalculatorRequest, today: NaiveDate) -> Result<Calculation> {
    let catalog = catalog::version_for(conn, request.date)?;
    let mut errors = Vec::new();
    let items: Vec<ProposedItem> = request
        .items
        .iter()
        .map(|i| {
            let f = |what: &str| format!("items.{}.{what}", i.item_code);
            ProposedItem {
                item_code: i.item_code.clone(),
                cost: amount(&mut errors, f("cost"), "Стоимость", &i.cost, true),
                sme_share: amount(&mut errors, f("sme_share"), "Доля СМСП", &i.sme_share, false),
                state_fees: amount(&mut errors, f("state_fees"), "Пошлины", &i.state_fees, false),
                quantity: i.quantity.clone(),
            }
        })
        .collect();
    let (eligibility, eligibility_reasons) = match request.sme_id {
        None => {
            errors.push(CoreError::field(
                "sme",
                "СМСП: выберите получателя услуги из реестра — без него не проверить лимит и соответствие требованиям",
            ));
            // Judged once an SME is chosen; meanwhile the amounts are still worked out.
            (EligibilityVerdict::Eligible, Vec::new())
        }
        Some(id) => {
            sme::get(conn, id)?;
            let current = eligibility::current(conn, id, today)?;
            let verdict = match (current.verdict, &current.check) {
                (_, None) => EligibilityVerdict::Unknown,
                (Verdict::Eligible, _) => EligibilityVerdict::Eligible,
                (Verdict::NotEligible, _) => EligibilityVerdict::NotEligible,
                (Verdict::NeedsRecheck, _) => EligibilityVerdict::NeedsRecheck,
            };
            (verdict, current.reasons)
        }
    };
    let proposal = Proposal {
        service_code: request.service_code.clone(),
        items,
        participants: request.participants,
        declaration_signed: request.declaration_signed,
        date: request.date,
        requested_on: crate::agreement::requested_on(conn, request.application_id)?,
        format: request.format.clone(),
        selection: request.selection.clone(),
    };
    let year = budget::year_of(request.date);
    let status = budget::show(conn, year)?;
    let settings = get_settings(conn)?;
    // What the centre already gave this SME (caps, §6.1.5) comes from its agreements and acts.
    let history = match request.sme_id {
        Some(id) => crate::agreement::sme_history(conn, id, None)?,
        None => SmeHistory::default(),
    };
    let mut result = check(&CheckInput {
        catalog: &catalog,
        history: &history,
        eligibility,
        proposal: &proposal,
        budget: &status,
        settings: &settings,
    });
    // An amount that could not be read is reported as such, not as the rules it trips when read as zero.
    let unreadable: Vec<&str> = request
        .items
        .iter()
        .filter(|i| {
            errors.iter().any(|e| {
                e.field
                    .as_deref()
                    .is_some_and(|f| f.starts_with(&format!("items.{}.", i.item_code)))
            })
        })
        .map(|i| i.item_code.as_str())
        .collect();
    result
        .violations
        .retain(|v| !v.item_code.as_deref().is_some_and(|c| unreadable.contains(&c)));
    result.signable = result.violations.is_empty();
    let budget_line = status.line(&request.service_code).cloned();
    let budget_after = budget_line
        .as_ref()
        .and_then(|l| l.remaining)
        .map(|r| money::kopecks(r - result.centre_share));
    Ok(Calculation {
        catalog_id: catalog.id,
        catalog_effective_from: catalog.effective_from,
        signable: result.signable && errors.is_empty(),
        input_errors: errors,
        eligibility,
        eligibility_reasons,
        check: result,
        year,
        budget_line,
        budget_after,
        budget_total: status.total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Ctx;
    use crate::cofinancing::ViolationCode;
    use crate::eligibility::{CheckSource, Criterion, CriterionResult, Outcome};
    use crate::sme::{SmeInput, SmeKind};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn request(sme_id: Option<i64>, cost: &str, share: &str) -> CalculatorRequest {
        CalculatorRequest {
            sme_id,
            service_code: "4.2".into(),
            date: day(2025, 3, 15),
            items: vec![CalculatorItem {
                item_code: "4.2".into(),
                cost: cost.into(),
                sme_share: share.into(),
                state_fees: String::new(),
                quantity: Default::default(),
            }],
            participants: None,
            declaration_signed: true,
            application_id: None,
            format: None,
            selection: None,
        }
    }

    /// A database with an eligible SME and a 2025 budget of 5 000 000 ₽ for 4.2.
    fn setup() -> (tempfile::TempDir, Db, i64) {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open_in(dir.path()).unwrap();
        let ctx = Ctx::new("Тест", day(2025, 3, 10).and_hms_opt(9, 0, 0).unwrap());
        let input = SmeInput::new(SmeKind::LegalEntity, "ООО «Амурская рыба»", "7707329152");
        let sme = crate::sme::add(&mut conn, &ctx, &input).unwrap();
        let criteria = Criterion::required_for(SmeKind::LegalEntity)
            .into_iter()
            .map(|c| CriterionResult::new(c, Outcome::Pass, ""))
            .collect();
        eligibility::record(
            &mut conn,
            &ctx,
            &eligibility::CheckInput {
                sme_id: sme.id,
                source: CheckSource::Manual {
                    comment: "Проверено на сайте ФНС".into(),
                },
                criteria,
            },
        )
        .unwrap();
        budget::set_line(&mut conn, &ctx, 2025, "4.2", Decimal::new(5_000_000, 0)).unwrap();
        (dir, conn, sme.id)
    }

    #[test]
    fn a_kopeck_below_the_minimum_blocks_and_the_minimum_unblocks() {
        let (_dir, conn, id) = setup();
        let today = day(2025, 3, 15);
        let below = calculate(&conn, &request(Some(id), "1 000 000", "199 999,99"), today).unwrap();
        assert!(!below.signable);
        assert_eq!(below.eligibility, EligibilityVerdict::Eligible);
        let codes: Vec<ViolationCode> = below.check.violations.iter().map(|v| v.code).collect();
        assert_eq!(codes, [ViolationCode::SmeShareBelowMinimum]);
        assert!(below.check.violations[0].message.contains("200\u{a0}000,00\u{a0}₽"));
        assert_eq!(below.check.violations[0].item_code.as_deref(), Some("4.2"));

        let ok = calculate(&conn, &request(Some(id), "1000000", "200000"), today).unwrap();
        assert!(ok.signable, "{:?}", ok.check.violations);
        assert_eq!(ok.check.centre_share, Decimal::new(800_000, 0));
        assert_eq!(ok.budget_after, Some(Decimal::new(4_200_000, 0)));
        assert_eq!(ok.budget_line.unwrap().remaining, Some(Decimal::new(5_000_000, 0)));
    }

    #[test]
    fn unreadable_amounts_and_a_missing_sme_are_input_errors() {
        let (_dir, conn, _id) = setup();
        let c = calculate(&conn, &request(None, "12,345", "abc"), day(2025, 3, 15)).unwrap();
        assert!(!c.signable);
        let fields: Vec<&str> = c.input_errors.iter().filter_map(|e| e.field.as_deref()).collect();
        assert_eq!(fields, ["items.4.2.cost", "items.4.2.sme_share", "sme"]);
        assert!(c.check.violations.iter().all(|v| v.item_code.is_none()));
    }

    #[test]
    fn an_sme_never_checked_is_unconfirmed() {
        let (_dir, mut conn, _id) = setup();
        let ctx = Ctx::new("Тест", day(2025, 3, 10).and_hms_opt(9, 0, 0).unwrap());
        let other = crate::sme::add(
            &mut conn,
            &ctx,
            &SmeInput::new(SmeKind::LegalEntity, "ООО «Север»", "2721999992"),
        )
        .unwrap();
        let c = calculate(&conn, &request(Some(other.id), "100000", "20000"), day(2025, 3, 15)).unwrap();
        assert_eq!(c.eligibility, EligibilityVerdict::Unknown);
        assert_eq!(c.check.violations[0].code, ViolationCode::EligibilityUnconfirmed);
    }
}
