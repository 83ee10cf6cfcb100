//! How long the yearly report takes for 2 000 businesses and 5 000 services (target: PDF and XLSX each under 1 s), with the data entered through the core's write functions as staff would.
//!
//! Filling the year (SMEs, eligibility checks, 5 000 agreements signed through the cofinancing
//! engine, their acts signed, 300 export contracts) takes minutes, so the filled database is kept
//! in `target/bench-data/` and reused by the next run; delete it to fill again.
//!
//! Measured on the 2-core development machine (release, shared with other builds): figures (read
//! and compute) 73 ms, PDF of 71 pages 209 ms, XLSX 92 ms.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

use chrono::{NaiveDate, NaiveDateTime};
use cpe_core::act::{self, ActInput, ActItemInput};
use cpe_core::agreement::{self, AgreementInput, AgreementItemInput, PlannedPayment};
use cpe_core::audit::Ctx;
use cpe_core::db::{self, Db};
use cpe_core::eligibility::{
    self, CheckInput, CheckSource, Criterion as EligibilityCriterion, CriterionResult, Outcome,
};
use cpe_core::export_contract::{self, ExportContractInput, ExportKind, VolumeInput};
use cpe_core::rates::{self, ManualRateInput};
use cpe_core::report::{self, data, xlsx, yearly, yearly_pdf};
use cpe_core::sme::{self, SmeCategory, SmeInput, SmeKind};
use cpe_core::{budget, ident};
use criterion::{criterion_group, criterion_main, Criterion};
use rust_decimal::Decimal;

const SMES: usize = 2000;
const SERVICES: usize = 5000;
const CONTRACTS: usize = 300;
/// Standalone services with room under their caps for three services of one SME.
const CODES: [&str; 3] = ["4.2", "4.4", "4.5"];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn ctx(on: NaiveDate) -> Ctx {
    Ctx::new("Бенчмарк", on.and_hms_opt(10, 0, 0).unwrap())
}

fn rub(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// The §4 check staff record (again before each agreement: a recorded check goes stale).
fn check(conn: &mut Db, sme_id: i64, c: &Ctx) {
    let criteria = EligibilityCriterion::required_for(SmeKind::LegalEntity)
        .into_iter()
        .map(|k| CriterionResult::new(k, Outcome::Pass, ""))
        .collect();
    let input = CheckInput {
        sme_id,
        source: CheckSource::Manual {
            comment: "ФНС".into()
        },
        criteria,
    };
    eligibility::record(conn, c, &input).unwrap();
}

/// 2 000 SMEs; service n goes to SME n mod 2 000 (three at most each, so §6.1.5 never refuses).
fn fill(conn: &mut Db) {
    let start = Instant::now();
    let c0 = ctx(day(2025, 1, 2));
    for code in CODES {
        budget::set_line(conn, &c0, 2025, code, rub("1000000000")).unwrap();
    }
    let mut smes = Vec::with_capacity(SMES);
    for i in 0..SMES {
        let mut input = SmeInput::new(
            SmeKind::LegalEntity,
            &format!("ООО «Экспортёр {i:04}»"),
            &ident::complete_inn10(&format!("27{:07}", 1000 + i)),
        );
        input.category = Some([SmeCategory::Micro, SmeCategory::Small, SmeCategory::Medium][i % 3]);
        let s = sme::add(conn, &c0, &input).unwrap();
        check(conn, s.id, &c0);
        smes.push(s.id);
    }
    println!("{SMES} SMEs: {:?}", start.elapsed());
    let mut agreements = Vec::with_capacity(SERVICES);
    for n in 0..SERVICES {
        let month = (n % 11) as u32 + 1;
        let on = day(2025, month, 3);
        let code = CODES[n / SMES % CODES.len()];
        let a = agreement::create(
            conn,
            &ctx(on),
            &AgreementInput {
                sme_id: smes[n % SMES],
                application_id: None,
                date: on,
                service_code: code.into(),
                participants: None,
                declaration_signed: true,
                items: vec![AgreementItemInput {
                    item_code: code.into(),
                    cost: rub("100000"),
                    sme_share: rub("20000"),
                    state_fees: Decimal::ZERO,
                    contractor_id: None,
                    contract_id: None,
                    quantity: Default::default(),
                }],
                payment_schedule: vec![PlannedPayment {
                    due_on: day(2025, month, 20),
                    amount: rub("20000"),
                    contract_id: None,
                }],
                stages: vec![],
                format: None,
                selection: None,
                event_id: None,
            },
        )
        .unwrap();
        check(conn, smes[n % SMES], &ctx(on));
        agreement::sign(conn, &ctx(day(2025, month, 4)), a.id, day(2025, month, 4)).unwrap();
        let act_on = day(2025, month + 1, 10);
        let act = act::add(
            conn,
            &ctx(act_on),
            &ActInput {
                agreement_id: a.id,
                stage_id: None,
                number: String::new(),
                date: act_on,
                items: vec![ActItemInput {
                    item_code: code.into(),
                    amount: rub("100000"),
                }],
            },
        )
        .unwrap();
        act::sign(conn, &ctx(act_on), act.id, act_on).unwrap();
        agreements.push((a.id, smes[n % SMES], act_on));
        if n % 500 == 499 {
            println!("{} services: {:?}", n + 1, start.elapsed());
        }
    }
    for (code, value) in [("USD", "90"), ("EUR", "98")] {
        for m in 2..=12 {
            let input = ManualRateInput {
                date: day(2025, m, 15),
                char_code: code.into(),
                nominal: 1,
                value: value.into(),
                replace: false,
            };
            rates::set_manual(conn, &c0, &input).unwrap();
        }
    }
    for (k, (agreement_id, sme_id, act_on)) in agreements.iter().take(CONTRACTS).enumerate() {
        let on = day(2025, chrono::Datelike::month(act_on), 15);
        let input = ExportContractInput {
            sme_id: *sme_id,
            kind: ExportKind::Contract,
            agreement_id: Some(*agreement_id),
            subject: "Поставка продукции".into(),
            number: format!("EX-{k}"),
            contract_date: on,
            country_code: "156".into(),
            buyer_id: None,
            create_buyer: false,
            counterparty_name: format!("Buyer {k}"),
            currency: if k % 2 == 0 { "USD" } else { "EUR" }.into(),
            amount: "250000".into(),
            volumes: vec![VolumeInput {
                year: 2025,
                amount: "250000".into(),
            }],
            reported_on: on,
            notes: String::new(),
        };
        export_contract::add(conn, &ctx(on), &input).unwrap();
    }
    println!("filled: {:?}", start.elapsed());
}

fn database() -> (PathBuf, Db) {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../../target/bench-data/report-{SMES}-{SERVICES}"));
    let ready = dir.join("filled");
    if !ready.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut conn = db::open_in(&dir).unwrap();
        fill(&mut conn);
        std::fs::write(&ready, b"").unwrap();
    }
    let conn = db::open_in(&dir).unwrap();
    (dir, conn)
}

fn created() -> NaiveDateTime {
    day(2026, 1, 20).and_hms_opt(9, 0, 0).unwrap()
}

fn benches(c: &mut Criterion) {
    let (_dir, conn) = database();
    let r = yearly::yearly(&conn, 2025).unwrap();
    assert_eq!(r.kpis.smes_supported as usize, SMES);
    assert_eq!(r.total.services as usize, SERVICES);
    let pdf = yearly_pdf::pdf(&r, "АНО «ЦПЭ»", created()).unwrap();
    println!(
        "KPIs {:?}; PDF {} bytes, XLSX {} bytes",
        r.kpis,
        pdf.len(),
        xlsx::yearly(&r).unwrap().len()
    );
    let mut group = c.benchmark_group("yearly report, 2000 SMEs / 5000 services");
    group.sample_size(10);
    group.bench_function("figures (read + compute)", |b| {
        b.iter(|| yearly::build(&data::load(&conn, 2025).unwrap()))
    });
    group.bench_function("PDF (read + compute + render)", |b| {
        b.iter(|| report::yearly_bytes(&conn, 2025, report::ReportFormat::Pdf, created()).unwrap())
    });
    group.bench_function("XLSX (read + compute + write)", |b| {
        b.iter(|| report::yearly_bytes(&conn, 2025, report::ReportFormat::Xlsx, created()).unwrap())
    });
    group.finish();
}

criterion_group!(report_bench, benches);
criterion_main!(report_bench);
