//! Scenario table of the engine: each rule and each catalog row, with the numbers the messages must show.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;
use crate::budget::{self, Budget, BudgetLine, BudgetUsage, UsageKind};
use crate::catalog::{self, ItemRole};
use ViolationCode as V;

pub(super) fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

pub(super) fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Quantities within the item's limits, so a scenario is about its own rule (the quantity terms
/// have their own test): one guest for as many days as the cost needs, the least area or 10 m²,
/// the most months, the condition confirmed.
pub(super) fn fitting(code: &str, cost: Decimal) -> crate::catalog::ItemQuantity {
    let seed = catalog::seed();
    let Some(l) = seed.item(code).and_then(|(_, i)| i.limits.clone()) else {
        return Default::default();
    };
    crate::catalog::ItemQuantity {
        guests: l.max_per_guest_day.map(|_| 1),
        days: l
            .max_per_guest_day
            .map(|m| (cost / m).ceil().to_string().parse::<u32>().unwrap_or(1).max(1)),
        area_m2: (l.min_area_m2.is_some() || l.max_area_m2.is_some()).then(|| l.min_area_m2.unwrap_or(d("10"))),
        months: l.max_months,
        condition_confirmed: l.condition.is_some(),
    }
}

/// A scenario: defaults are an eligible SME with a signed declaration, quantities within the
/// items' limits, a format without a competition, an ample budget and no history.
#[derive(Clone)]
pub(super) struct Case {
    pub proposal: Proposal,
    pub history: SmeHistory,
    pub eligibility: EligibilityVerdict,
    pub budget: Budget,
    pub usage: Vec<BudgetUsage>,
    pub settings: CofinancingSettings,
}

impl Case {
    pub fn new(service: &str, items: &[(&str, &str, &str)]) -> Case {
        let lines = catalog::seed()
            .services
            .iter()
            .map(|s| BudgetLine {
                service_code: s.code.clone(),
                amount: d("10000000"),
            })
            .collect();
        Case {
            proposal: Proposal {
                service_code: service.into(),
                items: items
                    .iter()
                    .map(|(code, cost, share)| ProposedItem {
                        item_code: (*code).into(),
                        cost: d(cost),
                        sme_share: d(share),
                        state_fees: Decimal::ZERO,
                        quantity: fitting(code, d(cost)),
                    })
                    .collect(),
                participants: None,
                declaration_signed: true,
                date: day("2025-03-15"),
                requested_on: None,
                // A format not given on a competitive basis, for the rows that have formats.
                format: catalog::seed()
                    .service(service)
                    .and_then(|s| s.formats.iter().find(|f| !f.selection_required))
                    .map(|f| f.code.clone()),
                selection: None,
            },
            history: SmeHistory::default(),
            eligibility: EligibilityVerdict::Eligible,
            budget: Budget {
                year: 2025,
                total: None,
                lines,
            },
            usage: Vec::new(),
            settings: CofinancingSettings::default(),
        }
    }

    pub fn standalone(service: &str, cost: &str, share: &str) -> Case {
        Case::new(service, &[(service, cost, share)])
    }

    fn fees(mut self, fees: &str) -> Case {
        self.proposal.items[0].state_fees = d(fees);
        self
    }

    fn requested(mut self, on: &str) -> Case {
        self.proposal.requested_on = Some(day(on));
        self
    }

    fn participants(mut self, n: u32) -> Case {
        self.proposal.participants = Some(n);
        self
    }

    fn no_declaration(mut self) -> Case {
        self.proposal.declaration_signed = false;
        self
    }

    fn eligibility(mut self, v: EligibilityVerdict) -> Case {
        self.eligibility = v;
        self
    }

    fn past(mut self, id: i64, item: &str, concluded: &str, closed: Option<&str>, centre: &str) -> Case {
        let service = catalog::seed().item(item).map(|(s, _)| s.code.clone()).unwrap();
        self.history.agreements.push(PastAgreement {
            id,
            service_code: service,
            concluded_on: day(concluded),
            closed_on: closed.map(day),
            items: vec![PastItem {
                item_code: item.into(),
                centre_share: d(centre),
            }],
        });
        self
    }

    fn contract(mut self, agreement_id: i64, on: &str) -> Case {
        self.history.export_contracts.push(ExportContractRef {
            agreement_id,
            concluded_on: day(on),
        });
        self
    }

    fn budget_line(mut self, code: &str, amount: Option<&str>) -> Case {
        self.budget.lines.retain(|l| l.service_code != code);
        if let Some(a) = amount {
            self.budget.lines.push(BudgetLine {
                service_code: code.into(),
                amount: d(a),
            });
        }
        self
    }

    fn used(mut self, code: &str, kind: UsageKind, share: &str) -> Case {
        self.usage.push(BudgetUsage {
            service_code: code.into(),
            year: 2025,
            kind,
            centre_share: d(share),
        });
        self
    }

    fn total(mut self, total: &str) -> Case {
        self.budget.total = Some(d(total));
        self
    }

    pub fn run(&self) -> CofinancingCheck {
        let cat = catalog::seed();
        let status = budget::status(&self.budget, &self.usage);
        check(&CheckInput {
            catalog: &cat,
            history: &self.history,
            eligibility: self.eligibility,
            proposal: &self.proposal,
            budget: &status,
            settings: &self.settings,
        })
    }
}

fn codes(c: &CofinancingCheck) -> Vec<ViolationCode> {
    c.violations.iter().map(|v| v.code).collect()
}

/// Three standalone services closed by acts within the three years before 2025-03-15.
fn three_closed(case: Case) -> Case {
    case.past(1, "4.2", "2022-06-01", Some("2022-09-01"), "500000")
        .past(2, "4.4", "2023-05-01", Some("2023-07-01"), "200000")
        .past(3, "4.5", "2024-02-01", Some("2024-04-01"), "300000")
}

#[test]
fn scenario_table() {
    use EligibilityVerdict as E;
    let base52 = ("5.2.b1", "100000", "0");
    let scenarios: Vec<(&str, Case, Vec<ViolationCode>)> = vec![
        (
            "4.2 at exactly 20 %",
            Case::standalone("4.2", "1250000", "250000"),
            vec![],
        ),
        // The centre's share becomes 1 000 000,01 ₽: one kopeck over the cap too, and both are reported.
        (
            "4.2 one kopeck below",
            Case::standalone("4.2", "1250000", "249999.99"),
            vec![V::SmeShareBelowMinimum, V::CapExceeded],
        ),
        (
            "4.2 one kopeck below, small",
            Case::standalone("4.2", "100000", "19999.99"),
            vec![V::SmeShareBelowMinimum],
        ),
        (
            "4.2 share above cost",
            Case::standalone("4.2", "1000", "1000.01"),
            vec![V::InvalidAmount],
        ),
        (
            "4.2 fraction of a kopeck",
            Case::standalone("4.2", "1000.001", "500"),
            vec![V::InvalidAmount],
        ),
        ("4.2 without a cost", Case::new("4.2", &[]), vec![V::InvalidAmount]),
        (
            "4.2 cap reached by two agreements this year",
            Case::standalone("4.2", "250000", "50000")
                .past(1, "4.2", "2025-01-20", None, "400000")
                .past(2, "4.2", "2025-02-10", Some("2025-03-01"), "500000"),
            vec![V::CapExceeded],
        ),
        (
            "4.2 cap: last year's agreements do not count",
            Case::standalone("4.2", "250000", "50000").past(1, "4.2", "2024-01-20", None, "900000"),
            vec![],
        ),
        (
            "4.2 without declaration",
            Case::standalone("4.2", "100000", "20000").no_declaration(),
            vec![V::DeclarationMissing],
        ),
        (
            "4.2 state fees are only for 4.3",
            Case::standalone("4.2", "100000", "20000").fees("1000"),
            vec![V::InvalidAmount],
        ),
        (
            "4.3 with state fees",
            Case::standalone("4.3", "100000", "30000").fees("40000"),
            vec![],
        ),
        (
            "4.3 below 30 %",
            Case::standalone("4.3", "100000", "29999.99").fees("40000"),
            vec![V::SmeShareBelowMinimum],
        ),
        (
            "4.3 fees push over the cap",
            Case::standalone("4.3", "1000000", "300000").fees("300001"),
            vec![V::CapExceeded],
        ),
        (
            "4.4 no declaration needed",
            Case::standalone("4.4", "300000", "60000").no_declaration(),
            vec![],
        ),
        (
            "4.4 above its cap",
            Case::standalone("4.4", "400000", "80000"),
            vec![V::CapExceeded],
        ),
        (
            "4.5 without declaration",
            Case::standalone("4.5", "100000", "20000").no_declaration(),
            vec![V::DeclarationMissing],
        ),
        ("1 informational, free", Case::standalone("1", "0", "0"), vec![]),
        ("4.1.2 event, free", Case::standalone("4.1.2", "50000", "0"), vec![]),
        (
            "5.1 base only",
            Case::new("5.1", &[("5.1.b1", "50000", "0")]),
            vec![V::AdditionalItemMissing],
        ),
        (
            "5.1 storage below 20 %",
            Case::new("5.1", &[("5.1.b1", "50000", "0"), ("5.1.a6", "100000", "10000")]),
            vec![V::SmeShareBelowMinimum],
        ),
        (
            "5.2 website at its cap",
            Case::new("5.2", &[base52, ("5.2.a1", "187500", "37500")]),
            vec![],
        ),
        (
            "5.2 website above 150 000 ₽",
            Case::new("5.2", &[base52, ("5.2.a1", "200000", "40000")]),
            vec![V::CapExceeded],
        ),
        // «Предоставляется на безвозмездной основе» (разд. 3): a free item carries no SME share.
        (
            "5.2 free base item with an SME share",
            Case::new("5.2", &[("5.2.b1", "100000", "0.01"), ("5.2.a1", "187500", "37500")]),
            vec![V::SmeShareOnFreeItem],
        ),
        (
            "5.2 free additional item with an SME share",
            Case::new("5.2", &[base52, ("5.2.a3", "50000", "10000")]),
            vec![V::SmeShareOnFreeItem],
        ),
        (
            "5.2 without base",
            Case::new("5.2", &[("5.2.a3", "10000", "0")]),
            vec![V::BaseItemMissing],
        ),
        (
            "5.2 with a foreign item",
            Case::new("5.2", &[base52, ("5.2.a3", "1", "0"), ("4.2", "1", "1")]),
            vec![V::UnknownItem],
        ),
        (
            "5.3 base items only",
            Case::new("5.3", &[("5.3.b1", "1", "0"), ("5.3.b2", "1", "0")]),
            vec![],
        ),
        (
            "5.3 one base missing",
            Case::new("5.3", &[("5.3.b1", "1", "0")]),
            vec![V::BaseItemMissing],
        ),
        (
            "5.4 with 2 participants",
            Case::new("5.4", &[("5.4.b1", "300000", "0"), ("5.4.a2", "10000", "0")]).participants(2),
            vec![V::ParticipantsBelowMinimum],
        ),
        (
            "5.4 with 3 participants",
            Case::new("5.4", &[("5.4.b1", "300000", "0"), ("5.4.a2", "10000", "0")]).participants(3),
            vec![],
        ),
        (
            "5.5 base items",
            Case::new(
                "5.5",
                &[("5.5.b1", "1", "0"), ("5.5.b2", "1", "0"), ("5.5.b3", "1", "0")],
            ),
            vec![],
        ),
        (
            "5.6 participants not given",
            Case::new("5.6", &[("5.6.b1", "1", "0"), ("5.6.b2", "1", "0")]),
            vec![V::ParticipantsBelowMinimum],
        ),
        (
            "5.7 base items",
            Case::new("5.7", &[("5.7.b1", "1", "0"), ("5.7.b2", "400000", "0")]),
            vec![],
        ),
        (
            "5.8 base items",
            Case::new("5.8", &[("5.8.b1", "1", "0"), ("5.8.b2", "1", "0")]),
            vec![],
        ),
        (
            "5.9 format 1 with 9 SMEs",
            Case::new("5.9", &[("5.9.f1", "1", "0")]).participants(9),
            vec![V::ParticipantsBelowMinimum],
        ),
        (
            "5.9 format 2 with 10 SMEs",
            Case::new("5.9", &[("5.9.f2", "1", "0")]).participants(10),
            vec![],
        ),
        (
            "5.9 format 3 below 20 %",
            Case::new("5.9", &[("5.9.f3", "100000", "0")]),
            vec![V::SmeShareBelowMinimum],
        ),
        (
            "5.9 two formats",
            Case::new("5.9", &[("5.9.f3", "1", "1"), ("5.9.f2", "1", "0")]).participants(10),
            vec![V::BaseItemMissing],
        ),
        ("5.9 no format", Case::new("5.9", &[]), vec![V::BaseItemMissing]),
        (
            "unknown service",
            Case::standalone("9.9", "1", "1"),
            vec![V::UnknownService],
        ),
        (
            "eligibility unknown",
            Case::standalone("4.4", "1000", "200").eligibility(E::Unknown),
            vec![V::EligibilityUnconfirmed],
        ),
        (
            "eligibility stale",
            Case::standalone("4.4", "1000", "200").eligibility(E::NeedsRecheck),
            vec![V::EligibilityUnconfirmed],
        ),
        (
            "not eligible",
            Case::standalone("4.4", "1000", "200").eligibility(E::NotEligible),
            vec![V::NotEligible],
        ),
        (
            "6.1.5: 3 services, 0 contracts",
            three_closed(Case::standalone("4.4", "1000", "200")),
            vec![V::ThreeServicesNoContract],
        ),
        (
            "6.1.5: 3 services, 1 contract",
            three_closed(Case::standalone("4.4", "1000", "200")).contract(2, "2023-10-01"),
            vec![],
        ),
        (
            "6.1.5: a contract reported after the request date does not count",
            three_closed(Case::standalone("4.4", "1000", "200")).contract(2, "2025-03-16"),
            vec![V::ThreeServicesNoContract],
        ),
        (
            "6.1.5: the window ends at the application's receipt — a third act after it does not count",
            Case::standalone("4.4", "1000", "200")
                .past(1, "4.2", "2022-06-01", Some("2022-09-01"), "1")
                .past(2, "4.4", "2023-05-01", Some("2023-07-01"), "1")
                .past(3, "4.5", "2024-02-01", Some("2025-03-01"), "1")
                .requested("2025-02-20"),
            vec![],
        ),
        (
            "6.1.5: and it starts 3 years before the receipt — an act within them counts",
            Case::standalone("4.4", "1000", "200")
                .past(1, "4.2", "2021-06-01", Some("2022-03-01"), "1")
                .past(2, "4.4", "2023-05-01", Some("2023-07-01"), "1")
                .past(3, "4.5", "2024-02-01", Some("2024-04-01"), "1")
                .requested("2025-02-20"),
            vec![V::ThreeServicesNoContract],
        ),
        (
            "6.1.5: an informational service does not count",
            Case::standalone("4.4", "1000", "200")
                .past(1, "4.2", "2022-06-01", Some("2022-09-01"), "1")
                .past(2, "4.1.2", "2023-05-01", Some("2023-07-01"), "1")
                .past(3, "4.5", "2024-02-01", Some("2024-04-01"), "1"),
            vec![],
        ),
        (
            "6.1.5: an act older than 3 years does not count",
            Case::standalone("4.4", "1000", "200")
                .past(1, "4.2", "2021-06-01", Some("2022-03-14"), "1")
                .past(2, "4.4", "2023-05-01", Some("2023-07-01"), "1")
                .past(3, "4.5", "2024-02-01", Some("2024-04-01"), "1"),
            vec![],
        ),
        (
            "6.1.5: a service without an act does not count",
            Case::standalone("4.4", "1000", "200")
                .past(1, "4.2", "2022-06-01", Some("2022-09-01"), "1")
                .past(2, "4.4", "2023-05-01", Some("2023-07-01"), "1")
                .past(3, "4.5", "2024-02-01", None, "1"),
            vec![],
        ),
        (
            "6.1.5: not applied to informational requests",
            three_closed(Case::standalone("2", "0", "0")),
            vec![],
        ),
        (
            "budget: no line for the service",
            Case::standalone("4.4", "1000", "200").budget_line("4.4", None),
            vec![V::BudgetExceeded],
        ),
        (
            "budget: line exhausted by agreements and acts",
            Case::standalone("4.4", "250000", "50000")
                .budget_line("4.4", Some("1000000"))
                .used("4.4", UsageKind::Committed, "500000")
                .used("4.4", UsageKind::Spent, "300000.01"),
            vec![V::BudgetExceeded],
        ),
        (
            "budget: total exhausted",
            Case::standalone("4.4", "250000", "50000").total("199999.99"),
            vec![V::BudgetExceeded],
        ),
        (
            "budget: a free request needs no budget",
            Case::standalone("1", "0", "0").budget_line("1", None),
            vec![],
        ),
        (
            "every violation at once",
            Case::new("5.4", &[("5.4.a1", "200000", "0")])
                .participants(1)
                .eligibility(E::Unknown)
                .budget_line("5.4", None),
            vec![
                V::EligibilityUnconfirmed,
                V::BaseItemMissing,
                V::ParticipantsBelowMinimum,
                V::SmeShareBelowMinimum,
                V::CapExceeded,
                V::BudgetExceeded,
            ],
        ),
    ];
    let mut failures = Vec::new();
    for (name, case, expected) in &scenarios {
        let result = case.run();
        if codes(&result) != *expected || result.signable != expected.is_empty() {
            failures.push(format!("{name}: expected {expected:?}, got {:?}", result.violations));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

mod messages;
