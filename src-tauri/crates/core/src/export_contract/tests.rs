//! Tests of export contracts: validation, conversion at the contract date's rates, the reporting deadline, the link to support and the §6.1.5 rule fed from real records, the reminder list.

use super::*;
use crate::act::{self, ActInput, ActItemInput};
use crate::agreement::fixture::*;
use crate::agreement::{self, AgreementInput, PlannedPayment};
use crate::cofinancing::{Proposal, ProposedItem, ViolationCode};
use crate::db::Db;
use crate::error::ErrorCode;
use crate::rates::{self, ManualRateInput};

fn rate(conn: &mut Db, on: &str, code: &str, nominal: i64, value: &str) {
    let input = ManualRateInput {
        date: day(on),
        char_code: code.into(),
        nominal,
        value: value.into(),
        replace: false,
    };
    rates::set_manual(conn, &ctx("2025-06-01"), &input).unwrap();
}

/// A standalone agreement for `service` closed by one signed act on `acted_on`.
fn completed(conn: &mut Db, sme: i64, service: &str, acted_on: &str) -> i64 {
    budget(conn, service, "5000000");
    let app = approved_application(conn, sme, service, &[]);
    let input = AgreementInput {
        service_code: service.into(),
        items: vec![item(service, "100000", "20000")],
        payment_schedule: vec![PlannedPayment {
            due_on: day("2025-03-20"),
            amount: d("20000"),
            contract_id: None,
        }],
        ..standalone(sme, Some(app))
    };
    let a = agreement::create(conn, &ctx("2025-03-06"), &input).unwrap();
    agreement::sign(conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).unwrap();
    let act = act::add(
        conn,
        &ctx(acted_on),
        &ActInput {
            agreement_id: a.id,
            stage_id: None,
            number: String::new(),
            date: day(acted_on),
            items: vec![ActItemInput {
                item_code: service.into(),
                amount: d("100000"),
            }],
        },
    )
    .unwrap();
    act::sign(conn, &ctx(acted_on), act.id, day(acted_on)).unwrap();
    a.id
}

fn contract(sme: i64, agreement: Option<i64>) -> ExportContractInput {
    ExportContractInput {
        sme_id: sme,
        kind: ExportKind::Contract,
        agreement_id: agreement,
        subject: "Мёд натуральный, 20 т".into(),
        number: "EX-2025/14".into(),
        contract_date: day("2025-04-15"),
        country_code: "156".into(),
        buyer_id: None,
        create_buyer: true,
        counterparty_name: "Harbin Sweet Trading Co., Ltd.".into(),
        currency: "CNY".into(),
        amount: "1 000 000".into(),
        volumes: vec![
            VolumeInput {
                year: 2025,
                amount: "600000".into(),
            },
            VolumeInput {
                year: 2026,
                amount: "400 000,00".into(),
            },
        ],
        reported_on: day("2025-04-30"),
        notes: String::new(),
    }
}

#[test]
fn a_contract_is_converted_at_its_dates_rates_and_linked_to_support() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let a = completed(&mut conn, sme, "4.2", "2025-04-01");
    rate(&mut conn, "2025-04-15", "USD", 1, "83,4921");
    rate(&mut conn, "2025-04-15", "CNY", 1, "11,3700");
    let c = add(&mut conn, &ctx("2025-04-30"), &contract(sme, Some(a))).unwrap();
    // 1 000 000 ¥ × 11.37 = 11 370 000 ₽ ÷ 83.4921 = 136 180.5 $ → 136.181 (136 180.54…).
    assert_eq!(c.usd_thousand, d("136.181"));
    assert_eq!((c.rate_currency, c.rate_usd), (d("11.37"), d("83.4921")));
    // 600 000 × 11.37 ÷ 83.4921 = 81 708.33 $; 400 000 → 54 472.22 $.
    assert_eq!(
        c.volumes.iter().map(|v| v.usd_thousand).collect::<Vec<_>>(),
        vec![d("81.708"), d("54.472")]
    );
    assert_eq!(
        (c.country_name.as_str(), c.item_code.as_deref()),
        ("Китай", Some("4.2"))
    );
    // 15 working days after 15.04.2025: 16–18, 21–25, 28–30 April (11), 5–7 May (14; 1–4 and
    // 8–11 May are holidays), 12 May (15).
    assert_eq!(c.due_on, Some(day("2025-05-12")));
    assert!(!c.late);
    let buyer = crate::foreign_buyer::card(&conn, c.buyer_id.unwrap()).unwrap();
    assert_eq!(buyer.smes[0].sme_id, sme);
    assert_eq!(buyer.contracts.len(), 1);

    let mut late = contract(sme, Some(a));
    late.reported_on = day("2025-05-13");
    late.buyer_id = c.buyer_id;
    let k = check(&conn, &late).unwrap();
    assert!(k.late && k.problems.is_empty());
    assert!(k.warnings.iter().any(|w| w.contains("позже срока")), "{:?}", k.warnings);

    let listed = list(
        &conn,
        &ExportContractQuery {
            text: "harbin".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(listed, vec![c.clone()]);
    assert!(list(
        &conn,
        &ExportContractQuery {
            year: Some(2024),
            ..Default::default()
        }
    )
    .unwrap()
    .is_empty());
    // Issue 14: a contract is cancelled, never deleted: it stays listed (struck out in the app),
    // and counts nowhere — not in the yearly KPIs, not as a §6.1.5 result of support.
    let kpis = |conn: &crate::db::Db| crate::report::yearly::yearly(conn, 2025).unwrap().kpis;
    assert_eq!(kpis(&conn).smes_with_contracts, 1);
    assert_eq!(export_refs(&conn, sme).unwrap().len(), 1);
    let no_reason = cancel(&mut conn, &ctx("2025-05-01"), c.id, "  ").unwrap_err();
    assert_eq!(no_reason.field.as_deref(), Some("reason"));
    let cancelled = cancel(&mut conn, &ctx("2025-05-01"), c.id, "внесён ошибочно").unwrap();
    let mark = cancelled.cancelled.clone().unwrap();
    assert_eq!(
        (mark.by.as_str(), mark.reason.as_str()),
        ("Петрова А. С.", "внесён ошибочно")
    );
    assert_eq!(list(&conn, &ExportContractQuery::default()).unwrap(), vec![cancelled]);
    assert_eq!(kpis(&conn).smes_with_contracts, 0);
    assert_eq!(kpis(&conn).export_volume_usd_thousand, Decimal::ZERO);
    assert!(export_refs(&conn, sme).unwrap().is_empty());
    assert!(
        cancel(&mut conn, &ctx("2025-05-02"), c.id, "ещё раз").is_err(),
        "cancelled once"
    );
}

/// Issue 18: a contract concluded before the agreement it is linked to is no result of that
/// support — not counted in KPIs 2 and 3, and the contract says why.
#[test]
fn a_contract_concluded_before_its_agreement_is_not_counted_and_says_why() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let a = completed(&mut conn, sme, "4.2", "2025-04-01");
    rate(&mut conn, "2025-03-03", "USD", 1, "88,0000");
    rate(&mut conn, "2025-03-03", "CNY", 1, "12,10");
    let mut early = contract(sme, Some(a));
    early.contract_date = day("2025-03-03");
    early.reported_on = day("2025-03-05");
    early.volumes = vec![VolumeInput {
        year: 2025,
        amount: "1000000".into(),
    }];
    let k = check(&conn, &early).unwrap();
    assert!(
        k.warnings.iter().any(|w| w.contains("не учитывается")),
        "{:?}",
        k.warnings
    );
    let c = add(&mut conn, &ctx("2025-03-05"), &early).unwrap();
    let why = c.not_counted.expect("the reason it does not count");
    assert!(why.contains("03.03.2025") && why.contains("06.03.2025"), "{why}");
    let kpis = crate::report::yearly::yearly(&conn, 2025).unwrap().kpis;
    assert_eq!(
        (kpis.smes_with_contracts, kpis.export_volume_usd_thousand),
        (0, Decimal::ZERO)
    );
    // The same contract dated after the agreement counts.
    rate(&mut conn, "2025-04-15", "USD", 1, "83,4921");
    rate(&mut conn, "2025-04-15", "CNY", 1, "11,37");
    let later = add(&mut conn, &ctx("2025-04-30"), &contract(sme, Some(a))).unwrap();
    assert_eq!(later.not_counted, None);
    assert_eq!(
        crate::report::yearly::yearly(&conn, 2025)
            .unwrap()
            .kpis
            .smes_with_contracts,
        1
    );
}

#[test]
fn every_problem_of_the_form_is_named() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let other = eligible_sme(&mut conn, "7736050003");
    let foreign = completed(&mut conn, other, "4.2", "2025-04-01");
    let mut bad = contract(sme, Some(foreign));
    bad.subject = " ".into();
    bad.country_code = "999".into();
    bad.currency = "XYZ".into();
    bad.amount = "0".into();
    bad.volumes.push(VolumeInput {
        year: 2024,
        amount: "1".into(),
    });
    let k = check(&conn, &bad).unwrap();
    let fields: Vec<_> = k.problems.iter().filter_map(|p| p.field.clone()).collect();
    for f in [
        "subject",
        "country_code",
        "currency",
        "amount",
        "agreement_id",
        "volumes.2",
    ] {
        assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
    }
    assert!(add(&mut conn, &ctx("2025-04-30"), &bad).is_err());
    assert!(
        list(&conn, &ExportContractQuery::default()).unwrap().is_empty(),
        "nothing half-saved"
    );

    // A missing rate is a question naming the currency and the day, not a fallback.
    let k = check(&conn, &contract(sme, None)).unwrap();
    let missing = k.problems.iter().find(|p| p.code == ErrorCode::MissingRate).unwrap();
    assert!(
        missing.message.contains("CNY") && missing.message.contains("15.04.2025"),
        "{}",
        missing.message
    );

    // The volumes may differ from the total, but exceeding it is a warning.
    rate(&mut conn, "2025-04-15", "USD", 1, "83,4921");
    rate(&mut conn, "2025-04-15", "CNY", 1, "11,37");
    let mut over = contract(sme, None);
    over.amount = "500000".into();
    let k = check(&conn, &over).unwrap();
    assert!(k.problems.is_empty(), "{:?}", k.problems);
    assert!(
        k.warnings.iter().any(|w| w.contains("больше суммы")),
        "{:?}",
        k.warnings
    );
}

#[test]
fn three_services_without_a_contract_are_refused_and_a_linked_contract_lifts_it() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let first = completed(&mut conn, sme, "4.2", "2025-04-01");
    completed(&mut conn, sme, "4.4", "2025-04-02");
    completed(&mut conn, sme, "4.5", "2025-04-03");
    let proposal = Proposal {
        service_code: "4.4".into(),
        items: vec![ProposedItem {
            item_code: "4.4".into(),
            cost: d("10000"),
            sme_share: d("2000"),
            state_fees: d("0"),
            quantity: Default::default(),
        }],
        participants: None,
        declaration_signed: true,
        date: day("2025-06-02"),
        requested_on: None,
        format: None,
        selection: None,
    };
    let refused = |conn: &Db| {
        agreement::check_proposal(conn, sme, &proposal, day("2025-06-02"), None)
            .unwrap()
            .violations
            .iter()
            .any(|v| v.code == ViolationCode::ThreeServicesNoContract)
    };
    assert!(refused(&conn), "3 services and no contract: §6.1.5");
    // Issue 18: the window is the years before the SME asked; asked on 02.04, one service before.
    let mut early = proposal.clone();
    early.requested_on = Some(day("2025-04-02"));
    let check = agreement::check_proposal(&conn, sme, &early, day("2025-06-02"), None).unwrap();
    assert!(!check
        .violations
        .iter()
        .any(|v| v.code == ViolationCode::ThreeServicesNoContract));
    rate(&mut conn, "2025-04-15", "USD", 1, "83,4921");
    rate(&mut conn, "2025-04-15", "CNY", 1, "11,37");
    // A contract not linked to support does not count.
    add(&mut conn, &ctx("2025-04-30"), &contract(sme, None)).unwrap();
    assert!(refused(&conn));
    // §6.1.5 speaks of export contracts: a linked e-commerce sale does not lift it.
    let mut sale = contract(sme, Some(first));
    sale.kind = ExportKind::Ecommerce;
    sale.number = "MP-1".into();
    add(&mut conn, &ctx("2025-04-30"), &sale).unwrap();
    assert!(refused(&conn), "an e-commerce sale is not an export contract of §6.1.5");
    add(&mut conn, &ctx("2025-04-30"), &contract(sme, Some(first))).unwrap();
    assert!(!refused(&conn), "a contract resulting from a service lifts §6.1.5");
}

#[test]
fn silent_smes_within_their_window_are_listed_until_contacted() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let a = completed(&mut conn, sme, "4.2", "2025-04-01");
    // 4.2 is standalone, so the window is opened by hand as a complex service would.
    conn.execute(
        "INSERT INTO export_reporting_obligation (agreement_id, sme_id, starts_on, ends_on)
         VALUES (?1, ?2, '2025-04-01', '2028-04-01')",
        crate::params![a, sme],
    )
    .unwrap();
    let s = ReminderSettings::default();
    assert!(reminders(&conn, day("2025-06-29"), &s).unwrap().is_empty(), "89 days");
    let r = reminders(&conn, day("2025-06-30"), &s).unwrap();
    assert_eq!((r.len(), r[0].silent_days, r[0].last_report_on), (1, 90, None));
    add_contact(
        &mut conn,
        &ctx("2025-07-01"),
        &ReminderContactInput {
            sme_id: sme,
            contacted_on: day("2025-07-01"),
            comment: "обещали прислать контракт".into(),
        },
    )
    .unwrap();
    assert!(
        reminders(&conn, day("2025-07-15"), &s).unwrap().is_empty(),
        "contacted recently"
    );
    let r = reminders(&conn, day("2025-08-01"), &s).unwrap();
    assert_eq!(r[0].last_contact_comment, "обещали прислать контракт");
    rate(&mut conn, "2025-04-15", "USD", 1, "83,4921");
    rate(&mut conn, "2025-04-15", "CNY", 1, "11,37");
    add(&mut conn, &ctx("2025-04-30"), &contract(sme, Some(a))).unwrap();
    assert!(
        reminders(&conn, day("2025-07-28"), &s).unwrap().is_empty(),
        "reported on 30.04"
    );
    assert!(
        reminders(&conn, day("2028-05-01"), &s).unwrap().is_empty(),
        "window closed"
    );
    let pdf = reminders_pdf(
        &conn,
        day("2025-08-01"),
        &s,
        day("2025-08-01").and_hms_opt(9, 0, 0).unwrap(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reminders.pdf");
    std::fs::write(&path, &pdf).unwrap();
    if let Ok(keep) = std::env::var("CPE_KEEP_PDF") {
        std::fs::copy(&path, keep).unwrap();
    }
    // The text a person copies from the printout (poppler, as the documents' tests read it).
    let out = std::process::Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let text = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for needle in [
        "Напоминания об экспортных контрактах",
        "ООО «Ромашка»",
        "ИНН 7707083893",
        "обещали прислать контракт",
        "Всего: 1",
    ] {
        assert!(text.contains(needle), "{needle} in {text}");
    }
}

#[test]
fn an_update_keeps_the_frozen_rates_unless_the_date_or_currency_changes() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    rate(&mut conn, "2025-04-15", "USD", 1, "83,4921");
    rate(&mut conn, "2025-04-15", "CNY", 1, "11,37");
    let c = add(&mut conn, &ctx("2025-04-30"), &contract(sme, None)).unwrap();
    // The Bank's file later says otherwise for that day; the contract keeps what it was entered at.
    let replaced = ManualRateInput {
        date: day("2025-04-15"),
        char_code: "CNY".into(),
        nominal: 1,
        value: "12".into(),
        replace: true,
    };
    rates::set_manual(&mut conn, &ctx("2025-05-02"), &replaced).unwrap();
    let mut input = contract(sme, None);
    input.buyer_id = c.buyer_id;
    input.subject = "Мёд гречишный".into();
    let same = update(&mut conn, &ctx("2025-05-02"), c.id, &input).unwrap();
    assert_eq!((same.rate_currency, same.usd_thousand), (d("11.37"), d("136.181")));
    assert_eq!(same.subject, "Мёд гречишный");
    input.currency = "USD".into();
    let usd = update(&mut conn, &ctx("2025-05-02"), c.id, &input).unwrap();
    // 1 000 000 $ = 1 000 thousand; 600 000 $ in 2025.
    assert_eq!(
        (usd.usd_thousand, usd.volumes[0].usd_thousand),
        (d("1000.000"), d("600.000"))
    );
    let audits: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE entity = 'export_contract'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audits, 3);
}

/// Issue 14: SQLite's lower() folded ASCII only, so «китай» never found «Китай»; `%` and `_`
/// typed in the search were wildcards.
#[test]
fn the_list_search_is_case_insensitive_for_russian_and_literal() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    rate(&mut conn, "2025-04-15", "USD", 1, "83,4921");
    rate(&mut conn, "2025-04-15", "CNY", 1, "11,3700");
    let mut input = contract(sme, None);
    input.subject = "Поставка мёда в Китай, скидка 10%".into();
    let c = add(&mut conn, &ctx("2025-04-30"), &input).unwrap();
    let found = |text: &str| {
        list(
            &conn,
            &ExportContractQuery {
                text: text.into(),
                ..Default::default()
            },
        )
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect::<Vec<_>>()
    };
    assert_eq!(found("китай"), vec![c.id]);
    assert_eq!(found("КИТАЙ МЕДА"), vec![c.id], "every word, «ё» as «е»");
    assert_eq!(found("10%"), vec![c.id]);
    assert_eq!(found("1_%"), Vec::<i64>::new(), "`_` and `%` match only themselves");
    assert_eq!(found("5%"), Vec::<i64>::new(), "`%` is not a wildcard");
    assert_eq!(found("%"), vec![c.id], "a typed `%` finds a literal one");
    // The SME's names are searched too, in any case.
    let sme_name = crate::sme::get(&conn, sme).unwrap().input.full_name.to_uppercase();
    assert_eq!(found(sme_name.split_whitespace().last().unwrap()), vec![c.id]);
}

/// The migration that added the folded search text fills it for the contracts already there.
#[test]
fn contracts_entered_before_the_search_text_are_found_after_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let old = crate::db::create_as_of(&dir.path().join(crate::db::DB_FILE), "0011_usage_indexes");
    old.execute_batch(
        "INSERT INTO sme (kind, full_name, inn, search_text, created_at, updated_at)
         VALUES ('legal_entity', 'ООО «Ромашка»', '7707083893', 'ооо «ромашка» | 7707083893', 'x', 'x');
         INSERT INTO export_contract (sme_id, kind, subject, contract_date, country_code, counterparty_name, currency,
             amount, rate_currency, rate_usd, reported_on, created_by, created_at, updated_at)
         VALUES (1, 'contract', 'Мёд натуральный, 20 т', '2025-04-15', '156', 'Harbin Sweet', 'CNY', '1000000',
             '11.37', '83.4921', '2025-04-30', 'Тест', '2025-04-30T10:00:00', '2025-04-30T10:00:00');",
    )
    .unwrap();
    drop(old);
    let conn = crate::db::open_in(dir.path()).unwrap();
    let q = ExportContractQuery {
        text: "МЕД".into(),
        ..Default::default()
    };
    assert_eq!(
        list(&conn, &q).unwrap().into_iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![1]
    );
}
