//! How long a full cofinancing check takes for an SME with ten years of history (target: under 1 ms).

use chrono::{Datelike, NaiveDate};
use cpe_core::budget::{self, Budget, BudgetLine, BudgetUsage, UsageKind};
use cpe_core::catalog;
use cpe_core::cofinancing::{
    check, CheckInput, CofinancingSettings, EligibilityVerdict, ExportContractRef, PastAgreement, PastItem, Proposal,
    ProposedItem, SmeHistory,
};
use criterion::{criterion_group, criterion_main, Criterion};
use rust_decimal::Decimal;

/// Ten years of an active SME: one agreement a month across the cofinanced items, each closed by an act.
fn history() -> SmeHistory {
    let items = ["4.2", "4.3", "4.4", "4.5", "5.2.a1", "5.1.a6"];
    let mut agreements = Vec::new();
    for n in 0..120 {
        let concluded = NaiveDate::from_ymd_opt(2015 + n / 12, (n % 12) as u32 + 1, 10).unwrap();
        let item = items[n as usize % items.len()];
        let service = catalog::seed().item(item).map(|(s, _)| s.code.clone()).unwrap();
        agreements.push(PastAgreement {
            id: n as i64 + 1,
            service_code: service,
            concluded_on: concluded,
            closed_on: Some(concluded + chrono::Days::new(60)),
            items: vec![PastItem {
                item_code: item.into(),
                centre_share: Decimal::new(10_000_000 + n as i64, 2),
            }],
        });
    }
    let export_contracts = (0..10)
        .map(|y| ExportContractRef {
            agreement_id: y * 12 + 1,
            concluded_on: NaiveDate::from_ymd_opt(2015 + y as i32, 6, 1).unwrap(),
        })
        .collect();
    SmeHistory {
        agreements,
        export_contracts,
    }
}

fn bench(c: &mut Criterion) {
    let cat = catalog::seed();
    let history = history();
    let date = NaiveDate::from_ymd_opt(2025, 3, 15).unwrap();
    let lines = cat
        .services
        .iter()
        .map(|s| BudgetLine {
            service_code: s.code.clone(),
            amount: Decimal::new(10_000_000, 0),
        })
        .collect();
    let usage: Vec<BudgetUsage> = (0..500)
        .map(|n| BudgetUsage {
            service_code: "5.2".into(),
            year: date.year(),
            kind: UsageKind::Spent,
            centre_share: Decimal::new(1000 + n, 0),
        })
        .collect();
    let status = budget::status(
        &Budget {
            year: 2025,
            total: None,
            lines,
        },
        &usage,
    );
    let settings = CofinancingSettings::default();
    let item = |code: &str, cost: i64, share: i64| ProposedItem {
        item_code: code.into(),
        cost: Decimal::new(cost, 0),
        sme_share: Decimal::new(share, 0),
        state_fees: Decimal::ZERO,
        quantity: Default::default(),
    };
    let proposal = Proposal {
        service_code: "5.2".into(),
        items: vec![
            item("5.2.b1", 100_000, 0),
            item("5.2.a1", 187_500, 37_500),
            item("5.2.a5", 200_000, 40_000),
            item("5.2.a3", 50_000, 0),
        ],
        participants: None,
        declaration_signed: true,
        date,
        requested_on: None,
        format: None,
        selection: None,
    };
    c.bench_function("cofinancing check, 10 years of history", |b| {
        b.iter(|| {
            let input = CheckInput {
                catalog: &cat,
                history: &history,
                eligibility: EligibilityVerdict::Eligible,
                proposal: &proposal,
                budget: &status,
                settings: &settings,
            };
            std::hint::black_box(check(std::hint::black_box(&input)))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
