//! Report arithmetic on a hand-built year: businesses counted once, contracts only when linked to support, volumes of the right year, and the XLSX totals equal to the PDF's.

use chrono::Datelike;

use super::trace::{trace_in, Figure, TraceKind};
use super::{data, demand, recipients, xlsx, yearly, yearly_pdf};
use crate::act::{self, ActInput, ActItemInput};
use crate::agreement::fixture::{budget, ctx, d, day, item, open, standalone};
use crate::agreement::{self, AgreementInput};
use crate::db::Db;
use crate::eligibility::{self, CheckInput, CheckSource, Criterion, CriterionResult, Outcome};
use crate::export_contract::{self, ExportContractInput, ExportKind, VolumeInput};
use crate::payment::{self, PaymentInput};
use crate::rates::{self, ManualRateInput};
use crate::sme::{self, SmeCategory, SmeInput, SmeKind};

fn sme_of(conn: &mut Db, name: &str, inn: &str, category: SmeCategory) -> i64 {
    let c = ctx("2025-03-03");
    let mut input = SmeInput::new(SmeKind::LegalEntity, name, inn);
    input.category = Some(category);
    let s = sme::add(conn, &c, &input).unwrap();
    let criteria = Criterion::required_for(SmeKind::LegalEntity)
        .into_iter()
        .map(|k| CriterionResult::new(k, Outcome::Pass, "проверено"))
        .collect();
    let check = CheckInput {
        sme_id: s.id,
        source: CheckSource::Manual {
            comment: "сайт ФНС".into(),
        },
        criteria,
    };
    eligibility::record(conn, &c, &check).unwrap();
    s.id
}

/// A signed agreement for `service` closed by one act of the whole cost dated `act_on`, signed or not.
fn service(conn: &mut Db, input: AgreementInput, act_on: &str, signed: bool) -> i64 {
    let a = agreement::create(conn, &ctx("2025-03-06"), &input).unwrap();
    agreement::sign(conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).unwrap();
    let act = act::add(
        conn,
        &ctx(act_on),
        &ActInput {
            agreement_id: a.id,
            stage_id: None,
            number: String::new(),
            date: day(act_on),
            items: input
                .items
                .iter()
                .map(|i| ActItemInput {
                    item_code: i.item_code.clone(),
                    amount: i.cost,
                })
                .collect(),
        },
    )
    .unwrap();
    if signed {
        act::sign(conn, &ctx(act_on), act.id, day(act_on)).unwrap();
    }
    a.id
}

fn research(sme_id: i64) -> AgreementInput {
    AgreementInput {
        service_code: "4.4".into(),
        items: vec![item("4.4", "200000", "40000")],
        payment_schedule: vec![crate::agreement::PlannedPayment {
            due_on: day("2025-03-20"),
            amount: d("40000"),
            contract_id: None,
        }],
        ..standalone(sme_id, None)
    }
}

/// The Central Bank's rates of a day, entered by hand: roubles for one dollar and for one yuan.
fn rates(conn: &mut Db, on: &str, usd: &str, cny: &str) {
    for (code, value) in [("USD", usd), ("CNY", cny)] {
        let input = ManualRateInput {
            date: day(on),
            char_code: code.into(),
            nominal: 1,
            value: value.into(),
            replace: false,
        };
        rates::set_manual(conn, &ctx(on), &input).unwrap();
    }
}

/// An export contract in yuan reported through the export module, converted at the rates of its date.
fn contract(
    conn: &mut Db,
    sme_id: i64,
    agreement_id: Option<i64>,
    on: &str,
    number: &str,
    volumes: &[(i32, &str)],
) -> i64 {
    let input = ExportContractInput {
        sme_id,
        kind: ExportKind::Contract,
        agreement_id,
        subject: "Поставка мёда".into(),
        number: number.into(),
        contract_date: day(on),
        country_code: "156".into(),
        buyer_id: None,
        create_buyer: false,
        counterparty_name: "Harbin Trading Co.".into(),
        currency: "CNY".into(),
        amount: "10000000".into(),
        volumes: volumes
            .iter()
            .map(|(year, amount)| VolumeInput {
                year: *year,
                amount: (*amount).into(),
            })
            .collect(),
        reported_on: day(on),
        notes: String::new(),
    };
    export_contract::add(conn, &ctx(on), &input).unwrap().id
}

pub(super) struct Year {
    _dir: tempfile::TempDir,
    pub conn: Db,
    a: i64,
    d: i64,
}

/// The hand-built 2025:
/// - А (micro): 4.2 acted 10.04 and 4.4 acted 01.06, both signed — one business, two services;
/// - Б (small): 4.2 acted 15.05, signed;
/// - В (medium): 4.2 acted 01.07 but the act is unsigned — not a service given yet;
/// - Г (small): 4.2 acted 15.01.2026 — next year's service.
///
/// Contracts (in yuan, thousand dollars at the rates of their dates): А 20.05.2025 linked (2025:
/// 100.5, 2026: 50) and А 01.08.2025 linked (2025: 20 — at May's rate it would be 15); Б 02.06.2025
/// not linked (2025: 1000); Г 11.11.2024 linked (2025: 30).
pub(super) fn hand_built_year() -> Year {
    let (dir, mut conn) = open();
    budget(&mut conn, "4.2", "5000000");
    budget(&mut conn, "4.4", "1000000");
    let a = sme_of(&mut conn, "ООО «Альфа»", "7707083893", SmeCategory::Micro);
    let b = sme_of(&mut conn, "ООО «Бета»", "7736207543", SmeCategory::Small);
    let c = sme_of(&mut conn, "ООО «Вега»", "7702070139", SmeCategory::Medium);
    let g = sme_of(&mut conn, "ООО «Гамма»", "7728168971", SmeCategory::Small);
    let a42 = service(&mut conn, standalone(a, None), "2025-04-10", true);
    service(&mut conn, research(a), "2025-06-01", true);
    service(&mut conn, standalone(b, None), "2025-05-15", true);
    service(&mut conn, standalone(c, None), "2025-07-01", false);
    // Г's agreement is of 2024, so its contract of November 2024 is a result of it (a contract
    // concluded before its agreement counts nowhere).
    crate::budget::set_line(&mut conn, &ctx("2024-01-10"), 2024, "4.2", d("5000000")).unwrap();
    // Its act of 15.01.2026 comes after 2024's carry-over (1 April 2025): 2026's budget pays it.
    crate::budget::set_line(&mut conn, &ctx("2024-01-10"), 2026, "4.2", d("5000000")).unwrap();
    let g42 = service(
        &mut conn,
        AgreementInput {
            date: day("2024-10-01"),
            ..standalone(g, None)
        },
        "2026-01-15",
        true,
    );
    payment::add(
        &mut conn,
        &ctx("2025-03-15"),
        &PaymentInput {
            agreement_id: a42,
            paid_on: day("2025-03-15"),
            amount: d("100000"),
            document: "п/п 17".into(),
        },
    )
    .unwrap();
    // 0,15 $ per yuan in May, 0,2 $ in August: each contract at the rates of its own date.
    rates(&mut conn, "2025-05-20", "90", "13.5");
    rates(&mut conn, "2025-08-01", "90", "18");
    rates(&mut conn, "2025-06-02", "90", "13.5");
    rates(&mut conn, "2024-11-11", "100", "15");
    contract(
        &mut conn,
        a,
        Some(a42),
        "2025-05-20",
        "EX-1",
        &[(2025, "670000"), (2026, "333333.33")],
    );
    contract(&mut conn, a, Some(a42), "2025-08-01", "EX-2", &[(2025, "100000")]);
    contract(&mut conn, b, None, "2025-06-02", "EX-3", &[(2025, "6666666.67")]);
    contract(&mut conn, g, Some(g42), "2024-11-11", "EX-4", &[(2025, "200000")]);
    Year {
        _dir: dir,
        conn,
        a,
        d: g,
    }
}

#[test]
fn kpis_count_businesses_once_and_only_contracts_linked_to_support() {
    let y = hand_built_year();
    let r = yearly::yearly(&y.conn, 2025).unwrap();
    assert_eq!(
        r.kpis.smes_supported, 2,
        "А once for two services, Б; not В (unsigned) nor Г (2026)"
    );
    assert_eq!(
        r.kpis.smes_with_contracts, 1,
        "А; Б's contract is not linked, Г's is dated 2024"
    );
    assert_eq!(
        r.kpis.export_volume_usd_thousand,
        d("150.5"),
        "100.5 + 20 + Г's 2025 volume 30, not Б's 1000"
    );

    let next = yearly::yearly(&y.conn, 2026).unwrap();
    assert_eq!(next.kpis.smes_supported, 1, "Г in 2026");
    assert_eq!(next.kpis.smes_with_contracts, 0);
    assert_eq!(
        next.kpis.export_volume_usd_thousand,
        d("50"),
        "the 2026 volume of А's first contract"
    );

    let i42 = r.items.iter().find(|i| i.service_code == "4.2").unwrap();
    assert_eq!((i42.services, i42.smes), (2, 2));
    assert_eq!(i42.cost, d("1000000.00"));
    assert_eq!(i42.centre_share, d("800000.00"));
    assert_eq!(i42.cofinancing_paid, d("100000.00"));
    assert_eq!(i42.spent, d("800000.00"));
    assert_eq!(i42.budget, Some(d("5000000.00")));
    let i44 = r.items.iter().find(|i| i.service_code == "4.4").unwrap();
    assert_eq!((i44.services, i44.smes, i44.cost), (1, 1, d("200000.00")));
    assert_eq!(r.total.services, 3);
    assert_eq!(r.total.smes, 2);
    assert_eq!(r.total.cost, d("1200000.00"));

    let april = &r.months[3];
    assert_eq!((april.acts, april.new_smes), (1, 1));
    assert_eq!(r.months[4].new_smes, 1, "Б in May");
    assert_eq!(r.months[5].new_smes, 0, "А's June service is not a new business");
    assert_eq!(
        r.months[0].export_volume_usd_thousand,
        d("30"),
        "Г's 2024 contract counts from January"
    );
    assert_eq!(r.months[11].kpis, r.kpis, "December's running KPIs are the year's");
    assert_eq!(r.months[3].kpis.smes_with_contracts, 0);
    assert_eq!(r.months[4].kpis.smes_with_contracts, 1);

    let micro = r.categories.iter().find(|g| g.key == "micro").unwrap();
    assert_eq!((micro.smes, micro.services), (1, 2));
    let businesses: Vec<&str> = r.businesses.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(businesses, ["ООО «Альфа»", "ООО «Бета»", "ООО «Гамма»"]);
    assert_eq!(r.businesses[0].contracts.len(), 2);
    assert!(
        r.businesses[1].contracts.is_empty(),
        "Б's unlinked contract is not listed"
    );
}

#[test]
fn every_figure_lists_the_records_it_counts() {
    let y = hand_built_year();
    let data = data::load(&y.conn, 2025).unwrap();
    let r = yearly::build(&data);
    let kpi1 = trace_in(&data, &Figure::SmesSupported);
    assert_eq!(kpi1.records.len() as u32, r.kpis.smes_supported);
    assert!(kpi1.records.iter().all(|x| x.kind == TraceKind::Sme));
    assert!(kpi1.records.iter().any(|x| x.sme_id == y.a));
    let kpi2 = trace_in(&data, &Figure::SmesWithContracts);
    assert_eq!(kpi2.records.len(), 1);
    let kpi3 = trace_in(&data, &Figure::ExportVolume);
    let numbers: Vec<&str> = kpi3.records.iter().map(|x| x.number.as_str()).collect();
    assert_eq!(numbers, ["EX-4", "EX-1", "EX-2"]);
    assert!(kpi3.records.iter().any(|x| x.sme_id == y.d));
    let acts = trace_in(&data, &Figure::ItemServices { code: "4.2".into() });
    assert_eq!(acts.records.len(), 2);
    assert!(acts
        .records
        .iter()
        .all(|x| x.kind == TraceKind::Act && x.date.unwrap().year() == 2025));
    let pays = trace_in(&data, &Figure::ItemCofinancing { code: "4.2".into() });
    assert_eq!(pays.records.len(), 1);
    assert_eq!(pays.records[0].number, "п/п 17");
    for (m, row) in r.months.iter().enumerate() {
        let listed = trace_in(&data, &Figure::MonthActs { month: m as u32 + 1 });
        assert_eq!(listed.records.len() as u32, row.acts, "month {}", m + 1);
    }
    let small = trace_in(
        &data,
        &Figure::Group {
            group: "category".into(),
            key: "small".into(),
        },
    );
    assert_eq!(small.records.len(), 1, "Б; Г's service is in 2026");
}

pub(crate) fn pdftotext(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    String::from_utf8(out.stdout).unwrap()
}

pub(super) fn now() -> chrono::NaiveDateTime {
    day("2026-02-01").and_hms_opt(9, 0, 0).unwrap()
}

#[test]
fn the_xlsx_totals_equal_the_pdfs_and_the_pdf_holds_the_kpis() {
    use calamine::{Data, DataType, Reader, Xlsx};
    let y = hand_built_year();
    let r = yearly::yearly(&y.conn, 2025).unwrap();
    let text = pdftotext(&yearly_pdf::pdf(&r, "АНО «ЦПЭ»", now()).unwrap());
    let flat = text.replace('\u{a0}', " ");
    assert!(
        flat.contains("Отчёт о деятельности центра поддержки экспорта за 2025 год"),
        "{flat}"
    );
    let kpi_line = |needle: &str| {
        flat.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} in {flat}"))
            .to_owned()
    };
    // No targets set: plan and share done are dashes, the actual is there.
    let supported = kpi_line("получивших поддержку");
    assert!(
        supported.contains(" 2 ") && supported.trim_end().ends_with('—'),
        "{supported}"
    );
    assert!(kpi_line("Объём поддержанного экспорта").contains("150,5"));
    let pdf_total = flat
        .lines()
        .find(|l| l.trim_start().starts_with("Итого") && l.contains("1 200 000,00"))
        .unwrap_or_else(|| panic!("the items total in {flat}"));
    assert!(
        pdf_total.contains("100 000,00") && pdf_total.contains("960 000,00"),
        "{pdf_total}"
    );

    let bytes = xlsx::yearly(&r).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Показатели",
            "По услугам",
            "По месяцам",
            "По категориям",
            "По видам",
            "СМСП и контракты"
        ]
    );
    let kpis = book.worksheet_range("Показатели").unwrap();
    assert_eq!(kpis.get_value((1, 2)), Some(&Data::Float(2.0)));
    assert_eq!(kpis.get_value((3, 2)), Some(&Data::Float(150.5)));
    let items = book.worksheet_range("По услугам").unwrap();
    let last = items.height() as u32 - 1;
    assert_eq!(items.get_value((last, 0)), Some(&Data::String("Итого".into())));
    // Cost column: the formula's cached value equals the PDF's total.
    let cost = items.get_value((last, 5)).unwrap();
    assert_eq!(cost.get_float(), Some(1_200_000.0), "{cost:?}");
    assert_eq!(items.get_value((last, 7)).unwrap().get_float(), Some(100_000.0));
    let formulas = book.worksheet_formula("По услугам").unwrap();
    assert_eq!(formulas.get_value((last, 5)).map(String::as_str), Some("SUM(F2:F3)"));
    let months = book.worksheet_range("По месяцам").unwrap();
    assert_eq!(
        months.get_value((13, 6)).unwrap().get_float(),
        Some(150.5),
        "months' volume total = KPI 3"
    );
}

#[test]
fn the_registry_of_recipients_lists_each_service_of_the_period() {
    let y = hand_built_year();
    let reg = recipients::registry(&y.conn, day("2025-01-01"), day("2025-12-31")).unwrap();
    assert_eq!(reg.entries.len(), 3);
    assert_eq!(reg.entries[0].number, 1);
    assert_eq!(reg.entries[0].sme_name, "ООО «Альфа»");
    assert_eq!(reg.entries[0].amount, d("400000.00"));
    assert_eq!(reg.entries[0].term, "07.03.2025 – 10.04.2025");
    assert_eq!(reg.entries[0].sme_category, "Микропредприятие");
    assert_eq!(reg.total, d("960000.00"));
    let csv = String::from_utf8(recipients::csv(&reg).unwrap()).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("ООО «Бета»;7736207543;"), "{csv}");
    assert!(csv.contains(";400000,00;"), "{csv}");
    let text = pdftotext(&recipients::pdf(&reg, "АНО «ЦПЭ»", now()).unwrap()).replace('\u{a0}', " ");
    assert!(text.contains("Реестр получателей поддержки за период с 01.01.2025 по 31.12.2025"));
    assert!(text.contains("960 000,00"), "{text}");
    let e = recipients::registry(&y.conn, day("2025-12-31"), day("2025-01-01")).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("from"));
}

#[test]
fn the_demand_forecast_is_saved_with_an_audit_entry_and_adds_up() {
    let y = hand_built_year();
    let mut conn = y.conn;
    let before = demand::analysis(&conn, 2026).unwrap();
    let row = before.rows.iter().find(|r| r.item_code == "4.2").unwrap();
    assert_eq!(
        (row.services, row.forecast_services),
        (2, None),
        "А and Б; В's act is unsigned"
    );
    let input = |code: &str, n: u32, amount: &str| demand::ForecastInput {
        year: 2026,
        item_code: code.into(),
        services: n,
        amount: amount.into(),
        comment: "рост спроса".into(),
    };
    let bad = demand::save_forecast(&mut conn, &ctx("2025-11-20"), &input("9.9", 1, "-5")).unwrap_err();
    assert!(bad.message.contains("9.9"), "{}", bad.message);
    demand::save_forecast(&mut conn, &ctx("2025-11-20"), &input("4.2", 5, "2 000 000")).unwrap();
    let after = demand::save_forecast(&mut conn, &ctx("2025-11-21"), &input("4.4", 2, "320000,50")).unwrap();
    assert_eq!(after.total_forecast_amount, d("2320000.50"));
    assert_eq!(after.total_forecast_services, 7);
    let again = demand::save_forecast(&mut conn, &ctx("2025-11-22"), &input("4.2", 4, "1600000")).unwrap();
    assert_eq!(again.total_forecast_amount, d("1920000.50"));
    let log = crate::audit::list(&conn, Some("demand_forecast"), Some("2026/4.2"), 10).unwrap();
    assert_eq!(log.len(), 2, "created, then updated");
    let text = pdftotext(&demand::pdf(&again, "АНО «ЦПЭ»", now()).unwrap()).replace('\u{a0}', " ");
    assert!(text.contains("Анализ потребности в услугах на 2026 год"));
    assert!(text.contains("1 920 000,50"), "{text}");
}

#[test]
#[ignore = "writes the sample PDFs to /tmp for looking at them: cargo test -p cpe-core sample_pdfs -- --ignored"]
fn sample_pdfs() {
    let y = hand_built_year();
    let r = yearly::yearly(&y.conn, 2025).unwrap();
    std::fs::write(
        "/tmp/report-yearly.pdf",
        yearly_pdf::pdf(&r, "АНО «Центр поддержки экспорта»", now()).unwrap(),
    )
    .unwrap();
    let q = super::quarterly::quarterly(&y.conn, 2025, 2).unwrap();
    std::fs::write(
        "/tmp/report-quarterly.pdf",
        super::quarterly::pdf(&q, "АНО «Центр поддержки экспорта»", now()).unwrap(),
    )
    .unwrap();
    let reg = recipients::registry(&y.conn, day("2025-01-01"), day("2025-12-31")).unwrap();
    std::fs::write(
        "/tmp/report-recipients.pdf",
        recipients::pdf(&reg, "АНО «ЦПЭ»", now()).unwrap(),
    )
    .unwrap();
}

/// §7.1: the demand analysis is due by 1 December — reminded from 15 November, overdue after the
/// day while nothing is forecast — and the forecast becomes next year's budget in one action.
#[test]
fn the_demand_analysis_of_7_1_is_reminded_and_carried_into_next_years_budget() {
    let y = hand_built_year();
    let mut conn = y.conn;
    assert_eq!(demand::reminder(&conn, day("2025-11-14")).unwrap(), None);
    let due = demand::reminder(&conn, day("2025-11-20"))
        .unwrap()
        .expect("reminded from 15 November");
    assert_eq!(
        (due.year, due.due, due.filled, due.overdue),
        (2026, day("2025-12-01"), 0, false)
    );
    assert!(demand::reminder(&conn, day("2025-12-05"))
        .unwrap()
        .is_some_and(|r| r.overdue));
    let e = demand::to_budget(&mut conn, &ctx("2025-11-25"), 2026).unwrap_err();
    assert!(e.message.contains("не заполнен"), "{}", e.message);

    for (code, n, amount) in [("4.2", 4, "1600000"), ("4.4", 2, "320000,50")] {
        let input = demand::ForecastInput {
            year: 2026,
            item_code: code.into(),
            services: n,
            amount: amount.into(),
            comment: String::new(),
        };
        demand::save_forecast(&mut conn, &ctx("2025-11-25"), &input).unwrap();
    }
    let specialist = ctx("2025-11-26").with_role(crate::staff::Role::Specialist);
    assert_eq!(
        demand::to_budget(&mut conn, &specialist, 2026).unwrap_err().code,
        crate::error::ErrorCode::Forbidden
    );
    let entries = |conn: &Db| {
        crate::audit::list(conn, Some("budget"), Some("2026"), 10)
            .unwrap()
            .len()
    };
    let before = entries(&conn);
    let b = demand::to_budget(&mut conn, &ctx("2025-11-26"), 2026).unwrap();
    assert_eq!(b.line("4.2"), Some(d("1600000")));
    assert_eq!(b.line("4.4"), Some(d("320000.50")));
    assert_eq!(
        entries(&conn),
        before + 1,
        "one change of the budget, one journal entry"
    );
    assert_eq!(
        demand::reminder(&conn, day("2025-12-05")).unwrap(),
        None,
        "done: no reminder"
    );
}

/// Standard 2.0 §6: the region's KPI targets, plan against actual with the share done — the same
/// figures in the PDF and in the XLSX read back, and on the dashboard.
#[test]
fn kpi_targets_of_standard_6_show_plan_against_actual_in_the_pdf_xlsx_and_dashboard() {
    use super::targets::{self, KpiTargets};
    use calamine::{Data, Reader, Xlsx};
    let y = hand_built_year();
    let mut conn = y.conn;
    let plan = KpiTargets {
        year: 2025,
        smes_supported: Some(4),
        smes_with_contracts: None,
        export_volume_usd_thousand: Some(d("100")),
    };
    let specialist = ctx("2025-12-01").with_role(crate::staff::Role::Specialist);
    assert_eq!(
        targets::save(&mut conn, &specialist, &plan).unwrap_err().code,
        crate::error::ErrorCode::Forbidden
    );
    let bad = KpiTargets {
        export_volume_usd_thousand: Some(d("-1")),
        ..plan.clone()
    };
    assert_eq!(
        targets::save(&mut conn, &ctx("2025-12-01"), &bad)
            .unwrap_err()
            .field
            .as_deref(),
        Some("export_volume_usd_thousand")
    );
    targets::save(&mut conn, &ctx("2025-12-01"), &plan).unwrap();
    assert_eq!(targets::get(&conn, 2025).unwrap(), plan);

    let r = yearly::yearly(&conn, 2025).unwrap();
    let flat = pdftotext(&yearly_pdf::pdf(&r, "АНО «ЦПЭ»", now()).unwrap()).replace('\u{a0}', " ");
    let line = |needle: &str| flat.lines().find(|l| l.contains(needle)).unwrap().to_owned();
    let supported = line("получивших поддержку");
    assert!(
        supported.contains(" 4 ") && supported.contains(" 2 ") && supported.contains("50 %"),
        "{supported}"
    );
    assert!(line("Объём поддержанного экспорта").contains("150,5 %"), "{flat}");

    let bytes = xlsx::yearly(&r).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let kpis = book.worksheet_range("Показатели").unwrap();
    assert_eq!(kpis.get_value((1, 1)), Some(&Data::Float(4.0)));
    assert_eq!(kpis.get_value((1, 3)), Some(&Data::Float(50.0)));
    assert_eq!(kpis.get_value((2, 1)), Some(&Data::Empty), "no target, no plan");
    assert_eq!(kpis.get_value((3, 3)), Some(&Data::Float(150.5)));

    let dash = super::dashboard::dashboard(&conn, day("2025-12-01")).unwrap();
    assert_eq!(dash.targets, Some(plan));
    let log = crate::audit::list(&conn, Some("kpi_target"), Some("2025"), 5).unwrap();
    assert_eq!(log.len(), 1);
}
