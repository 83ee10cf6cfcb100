//! Tests of agreements against a real SQLite file: numbering from two connections at once, signing blocked by the engine, frozen money terms and supplementary agreements, acts and completion, budget usage and history.

use chrono::Datelike;
use rust_decimal::Decimal;

use super::fixture::*;
use super::*;
use crate::act::{self, ActInput, ActItemInput};
use crate::application::{self, ApplicationStatus, RefusalReason};
use crate::budget::{self};
use crate::db;
use crate::error::ErrorCode;
use crate::payment::{self, PaymentInput};

#[test]
fn numbers_follow_the_pattern_and_never_repeat_from_two_connections() {
    let (dir, mut conn) = super::fixture::open_file();
    let sme = eligible_sme(&mut conn, "7707083893");
    drop(conn);
    let path = dir.path().join(db::DB_FILE);
    let threads: Vec<_> = (0..2)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut conn = db::open(&path).unwrap();
                (0..15)
                    .map(|i| {
                        let c = ctx("2025-03-06");
                        let c = crate::audit::Ctx::new(format!("окно {t}, {i}"), c.now);
                        create(&mut conn, &c, &standalone(sme, None)).unwrap().number
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut numbers: Vec<String> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    numbers.sort();
    let mut expected: Vec<String> = (1..=30).map(|n| format!("{n}/2025-С")).collect();
    expected.sort();
    assert_eq!(numbers, expected);
}

#[test]
fn the_number_pattern_is_a_setting() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    assert_eq!(format_number(DEFAULT_NUMBER_PATTERN, 7, 2025), "7/2025-С");
    assert!(set_number_pattern(&mut conn, &ctx("2025-03-06"), "С-{yy}").is_err());
    set_number_pattern(&mut conn, &ctx("2025-03-06"), "ЦПЭ-{yy}/{n}").unwrap();
    assert_eq!(
        create(&mut conn, &ctx("2025-03-06"), &standalone(sme, None))
            .unwrap()
            .number,
        "ЦПЭ-25/1"
    );
    let mut next_year = standalone(sme, None);
    next_year.date = day("2026-01-12");
    let c = ctx("2026-01-12");
    assert_eq!(create(&mut conn, &c, &next_year).unwrap().number, "ЦПЭ-26/1");
}

#[test]
fn signing_runs_the_engine_and_lists_every_violation() {
    let (_dir, mut conn) = open();
    // Not checked for §4, no budget for 2025, SME share below 20 %.
    let sme = crate::sme::add(
        &mut conn,
        &ctx("2025-03-03"),
        &crate::sme::SmeInput::new(crate::sme::SmeKind::LegalEntity, "ООО «Тест»", "7707083893"),
    )
    .unwrap()
    .id;
    let mut input = standalone(sme, None);
    input.items = vec![item("4.2", "500000", "50000")];
    input.payment_schedule[0].amount = d("50000");
    let a = create(&mut conn, &ctx("2025-03-06"), &input).unwrap();
    let e = sign(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).unwrap_err();
    assert_eq!(e.code, ErrorCode::Rule);
    for part in ["раздела 4", "смете", "100\u{a0}000,00", "п. 6.1.2"] {
        assert!(e.message.contains(part), "«{part}» missing in: {}", e.message);
    }
    let check = check_agreement(&conn, a.id, day("2025-03-07")).unwrap();
    assert_eq!(check.violations.len(), 4, "{:?}", check.violations);
    assert_eq!(get(&conn, a.id).unwrap().status, AgreementStatus::Draft);
}

fn signed(conn: &mut db::Db) -> (i64, i64, Agreement) {
    let sme = eligible_sme(conn, "7707083893");
    budget(conn, "4.2", "5000000");
    let app = approved_application(conn, sme, "4.2", &[]);
    let a = create(conn, &ctx("2025-03-06"), &standalone(sme, Some(app))).unwrap();
    let a = sign(conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).unwrap();
    (sme, app, a)
}

#[test]
fn a_signed_agreement_commits_the_budget_and_moves_the_application() {
    let (_dir, mut conn) = open();
    let (sme, app, a) = signed(&mut conn);
    assert_eq!(a.status, AgreementStatus::Signed);
    assert_eq!(a.signed_on, Some(day("2025-03-07")));
    assert_eq!((a.sme_share, a.centre_share), (d("100000.00"), d("400000.00")));
    assert_eq!(
        application::get(&conn, app).unwrap().status,
        ApplicationStatus::AgreementConcluded
    );
    let status = budget::show(&conn, 2025).unwrap();
    assert_eq!(status.line("4.2").unwrap().committed, d("400000"));
    assert_eq!(status.line("4.2").unwrap().remaining, Some(d("4600000")));
    let history = sme_history(&conn, sme, None).unwrap();
    assert_eq!(history.agreements[0].items[0].centre_share, d("400000"));
    assert!(catalog_used(&conn, a.catalog_version_id));
    // Money terms are frozen.
    let e = update_draft(&mut conn, &ctx("2025-03-08"), a.id, &standalone(sme, Some(app))).unwrap_err();
    assert!(e.message.contains("дополнительным соглашением"), "{}", e.message);
    let e = sign(&mut conn, &ctx("2025-03-08"), a.id, day("2025-03-08")).unwrap_err();
    assert_eq!(e.code, ErrorCode::Rule);
}

#[test]
fn a_draft_is_changed_in_place_within_the_year_of_its_number() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let app = approved_application(&mut conn, sme, "4.2", &[]);
    let a = create(&mut conn, &ctx("2025-03-06"), &standalone(sme, Some(app))).unwrap();
    let mut input = standalone(sme, Some(app));
    input.date = day("2025-03-10");
    input.items = vec![item("4.2", "600000", "120000")];
    input.payment_schedule[0].amount = d("120000");
    input.stages = vec![StageInput {
        name: "Испытания".into(),
        starts_on: None,
        ends_on: day("2025-05-30"),
    }];
    let b = update_draft(&mut conn, &ctx("2025-03-07"), a.id, &input).unwrap();
    assert_eq!(
        (b.id, b.number.as_str(), b.status),
        (a.id, a.number.as_str(), AgreementStatus::Draft)
    );
    assert_eq!(
        (b.date, b.cost, b.sme_share),
        (day("2025-03-10"), d("600000"), d("120000"))
    );
    assert_eq!(b.payment_schedule[0].amount, d("120000"));
    assert_eq!(b.stages.len(), 1);
    let audited: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE entity = 'agreement' AND entity_id = ?1 AND action = 'update'",
            [a.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);

    // Another year would contradict the number: refused, naming the field, nothing written.
    input.date = day("2026-01-12");
    input.items = vec![item("4.2", "700000", "140000")];
    let e = update_draft(&mut conn, &ctx("2025-03-07"), a.id, &input).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("date"));
    assert!(e.message.contains("2025 году"), "{}", e.message);
    let now = get(&conn, a.id).unwrap();
    assert_eq!((now.date, now.cost), (day("2025-03-10"), d("600000")));
}

#[test]
fn a_draft_opened_before_a_colleagues_change_is_not_saved_over_it() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let app = approved_application(&mut conn, sme, "4.2", &[]);
    let a = create(&mut conn, &ctx("2025-03-06"), &standalone(sme, Some(app))).unwrap();
    let mark = crate::audit::last_change(&conn, "agreement", a.id).unwrap();
    let colleague = crate::audit::Ctx::new("Петров П. П.", ctx("2025-03-07").now);
    let mut theirs = standalone(sme, Some(app));
    theirs.items = vec![item("4.2", "600000", "120000")];
    theirs.payment_schedule[0].amount = d("120000");
    conn.save_seen("agreement", a.id, Some(mark), |c| {
        update_draft(c, &colleague, a.id, &theirs)
    })
    .unwrap();
    let mine = standalone(sme, Some(app));
    let e = conn
        .save_seen("agreement", a.id, Some(mark), |c| {
            update_draft(c, &ctx("2025-03-07"), a.id, &mine)
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("Петров П. П."), "{}", e.message);
    assert_eq!(get(&conn, a.id).unwrap().cost, d("600000"), "nothing saved over it");
    // Saved over on purpose (no mark).
    conn.save_seen("agreement", a.id, None, |c| {
        update_draft(c, &ctx("2025-03-07"), a.id, &mine)
    })
    .unwrap();
    assert_eq!(get(&conn, a.id).unwrap().cost, d("500000"));
}

fn catalog_used(conn: &db::Db, id: i64) -> bool {
    crate::catalog::get_version(conn, id).unwrap().used_since.is_some()
}

#[test]
fn signing_needs_an_approved_application_and_a_matching_schedule() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    budget(&mut conn, "4.2", "5000000");
    let app = approved_application(&mut conn, sme, "4.2", &[]);
    let mut input = standalone(sme, Some(app));
    input.payment_schedule[0].amount = d("90000");
    let a = create(&mut conn, &ctx("2025-03-06"), &input).unwrap();
    let e = sign(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("payment_schedule"));
    let e = sign(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-09")).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("signed_on"));
    application::refuse(
        &mut conn,
        &ctx("2025-03-07"),
        app,
        RefusalReason::NoFunding,
        "лимиты исчерпаны",
    )
    .unwrap();
    // The refusal terminated the draft too.
    let a = get(&conn, a.id).unwrap();
    assert_eq!(a.status, AgreementStatus::Terminated);
    assert!(a.termination_reason.contains("6.1.2"), "{}", a.termination_reason);
}

#[test]
fn a_supplementary_agreement_is_checked_by_the_engine() {
    let (_dir, mut conn) = open();
    let (_sme, _app, a) = signed(&mut conn);
    let too_low = AmendmentInput {
        number: "1".into(),
        date: day("2025-03-10"),
        items: vec![item("4.2", "600000", "100000")],
        payment_schedule: None,
    };
    let e = amend(&mut conn, &ctx("2025-03-10"), a.id, &too_low).unwrap_err();
    assert!(e.message.contains("120\u{a0}000,00"), "{}", e.message);
    let ok = AmendmentInput {
        items: vec![item("4.2", "600000", "120000")],
        payment_schedule: Some(vec![
            PlannedPayment {
                due_on: day("2025-03-20"),
                amount: d("100000"),
                contract_id: None,
            },
            PlannedPayment {
                due_on: day("2025-04-20"),
                amount: d("20000"),
                contract_id: None,
            },
        ]),
        ..too_low
    };
    let after = amend(&mut conn, &ctx("2025-03-10"), a.id, &ok).unwrap();
    assert_eq!(after.centre_share, d("480000.00"));
    assert_eq!(after.amendments.len(), 1);
    assert_eq!(after.amendments[0].before.items[0].cost, d("500000.00"));
    // The agreement's own old terms do not count against it: committed is the new share only.
    assert_eq!(
        budget::show(&conn, 2025).unwrap().line("4.2").unwrap().committed,
        d("480000")
    );
    assert_eq!(
        amend(&mut conn, &ctx("2025-03-10"), a.id, &ok)
            .unwrap_err()
            .field
            .as_deref(),
        Some("number")
    );
}

#[test]
fn acts_cannot_exceed_the_agreement_and_complete_it() {
    let (_dir, mut conn) = open();
    let (sme, app, a) = signed(&mut conn);
    let act_of = |amount: &str| act_of(a.id, amount);
    let e = act::add(&mut conn, &ctx("2025-04-01"), &act_of("500000.01")).unwrap_err();
    assert!(e.message.contains("превысит"), "{}", e.message);
    let first = act::add(&mut conn, &ctx("2025-04-01"), &act_of("200000")).unwrap();
    assert_eq!(first.items[0].centre_share, d("160000.00"));
    // The unsigned act already counts against the limit.
    assert!(act::add(&mut conn, &ctx("2025-04-01"), &act_of("300000.01")).is_err());
    act::sign(&mut conn, &ctx("2025-04-02"), first.id, day("2025-04-02")).unwrap();
    let a1 = get(&conn, a.id).unwrap();
    assert_eq!(a1.status, AgreementStatus::InProgress);
    assert_eq!(
        application::get(&conn, app).unwrap().status,
        ApplicationStatus::InProgress
    );
    let status = budget::show(&conn, 2025).unwrap();
    assert_eq!(
        (status.line("4.2").unwrap().committed, status.line("4.2").unwrap().spent),
        (d("240000"), d("160000"))
    );
    let last = act::add(&mut conn, &ctx("2025-04-10"), &act_of("300000")).unwrap();
    assert_eq!(last.number, "2");
    assert_eq!(
        get(&conn, a.id).unwrap().status,
        AgreementStatus::InProgress,
        "unsigned acts do not complete it"
    );
    act::sign(&mut conn, &ctx("2025-04-11"), last.id, day("2025-04-11")).unwrap();
    let done = get(&conn, a.id).unwrap();
    assert_eq!(done.status, AgreementStatus::Completed);
    assert_eq!(done.completed_on, Some(day("2025-04-11")));
    let app = application::get(&conn, app).unwrap();
    assert_eq!(app.status, ApplicationStatus::Completed);
    let status = budget::show(&conn, 2025).unwrap();
    assert_eq!(
        (status.line("4.2").unwrap().committed, status.line("4.2").unwrap().spent),
        (d("0"), d("400000"))
    );
    let history = sme_history(&conn, sme, None).unwrap();
    assert_eq!(history.agreements[0].closed_on, Some(day("2025-04-11")));
    assert_eq!(
        act::export_obligation(&conn, a.id).unwrap(),
        None,
        "4.2 is a standalone service"
    );
    assert!(act::add(&mut conn, &ctx("2025-04-12"), &act_of("1")).is_err());
}

#[test]
fn a_complex_service_creates_the_three_year_reporting_obligation() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    budget(&mut conn, "5.2", "5000000");
    let app = approved_application(&mut conn, sme, "5.2", &["5.2.b1", "5.2.a1"]);
    let input = AgreementInput {
        service_code: "5.2".into(),
        items: vec![item("5.2.b1", "100000", "0"), item("5.2.a1", "150000", "30000")],
        payment_schedule: vec![PlannedPayment {
            due_on: day("2025-03-20"),
            amount: d("30000"),
            contract_id: None,
        }],
        stages: vec![
            StageInput {
                name: "Поиск покупателя".into(),
                starts_on: None,
                ends_on: day("2025-04-30"),
            },
            StageInput {
                name: "Сайт".into(),
                starts_on: None,
                ends_on: day("2025-05-31"),
            },
        ],
        ..standalone(sme, Some(app))
    };
    let a = create(&mut conn, &ctx("2025-03-06"), &input).unwrap();
    let a = sign(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).unwrap();
    for (stage, code, amount, on) in [
        (0, "5.2.b1", "100000", "2025-04-30"),
        (1, "5.2.a1", "150000", "2025-05-30"),
    ] {
        let act = act::add(
            &mut conn,
            &ctx(on),
            &ActInput {
                agreement_id: a.id,
                stage_id: Some(a.stages[stage].id),
                number: String::new(),
                date: day(on),
                items: vec![ActItemInput {
                    item_code: code.into(),
                    amount: d(amount),
                }],
            },
        )
        .unwrap();
        act::sign(&mut conn, &ctx(on), act.id, day(on)).unwrap();
    }
    let ob = act::export_obligation(&conn, a.id).unwrap().unwrap();
    assert_eq!((ob.starts_on, ob.ends_on), (day("2025-05-30"), day("2028-05-30")));
    assert_eq!(ob.ends_on.year() - ob.starts_on.year(), 3);
}

#[test]
fn overdue_payments_are_listed_and_refusal_6_1_4_is_one_call() {
    let (_dir, mut conn) = open();
    let (_sme, app, a) = signed(&mut conn);
    assert!(
        payment::overdue(&conn, day("2025-03-20")).unwrap().is_empty(),
        "due today is not yet overdue"
    );
    let late = payment::overdue(&conn, day("2025-03-21")).unwrap();
    assert_eq!(late.len(), 1);
    assert_eq!((late[0].outstanding, late[0].days_overdue), (d("100000.00"), 1));
    let e = payment::add(
        &mut conn,
        &ctx("2025-03-21"),
        &PaymentInput {
            agreement_id: a.id,
            paid_on: day("2025-03-21"),
            amount: d("100000.01"),
            document: "п/п 12".into(),
        },
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("amount"));
    payment::add(
        &mut conn,
        &ctx("2025-03-21"),
        &PaymentInput {
            agreement_id: a.id,
            paid_on: day("2025-03-21"),
            amount: d("60000"),
            document: "п/п 12".into(),
        },
    )
    .unwrap();
    let late = payment::overdue(&conn, day("2025-03-25")).unwrap();
    assert_eq!(late[0].outstanding, d("40000.00"));
    let e = payment::refuse_for_nonpayment(&mut conn, &ctx("2025-03-19"), a.id, day("2025-03-19")).unwrap_err();
    assert_eq!(e.code, ErrorCode::Rule);
    let done = payment::refuse_for_nonpayment(&mut conn, &ctx("2025-03-25"), a.id, day("2025-03-25")).unwrap();
    assert_eq!(done.status, AgreementStatus::Terminated);
    assert!(done.termination_reason.contains("6.1.4"), "{}", done.termination_reason);
    let app = application::get(&conn, app).unwrap();
    assert_eq!(app.status, ApplicationStatus::RefusedByCentre);
    assert_eq!(app.refusal.unwrap().reason, RefusalReason::CofinancingNotPaid);
    assert!(payment::overdue(&conn, day("2025-03-25")).unwrap().is_empty());
    assert_eq!(
        budget::show(&conn, 2025).unwrap().line("4.2").unwrap().committed,
        d("0")
    );
}

#[test]
fn the_centre_parts_of_acts_add_up_to_the_agreement_exactly() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    budget(&mut conn, "4.2", "5000000");
    let mut input = standalone(sme, None);
    input.items = vec![item("4.2", "1000000", "200000.01")];
    input.payment_schedule[0].amount = d("200000.01");
    let a = create(&mut conn, &ctx("2025-03-06"), &input).unwrap();
    sign(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).unwrap();
    for (amount, on) in [
        ("333333.33", "2025-04-01"),
        ("333333.33", "2025-05-01"),
        ("333333.34", "2025-06-02"),
    ] {
        let act = act::add(
            &mut conn,
            &ctx(on),
            &ActInput {
                agreement_id: a.id,
                stage_id: None,
                number: String::new(),
                date: day(on),
                items: vec![ActItemInput {
                    item_code: "4.2".into(),
                    amount: d(amount),
                }],
            },
        )
        .unwrap();
        act::sign(&mut conn, &ctx(on), act.id, day(on)).unwrap();
    }
    let parts: Decimal = act::list(&conn, a.id)
        .unwrap()
        .iter()
        .map(|x| x.items[0].centre_share)
        .sum();
    assert_eq!(parts, d("799999.99"));
    let status = budget::show(&conn, 2025).unwrap();
    assert_eq!((status.total.committed, status.total.spent), (d("0"), d("799999.99")));
    let row = &list(&conn, Some(AgreementStatus::Completed), Some(sme)).unwrap()[0];
    assert_eq!(
        (row.total, row.sme_share, row.centre_share),
        (d("1000000"), d("200000.01"), d("799999.99"))
    );
}

#[test]
fn each_agreement_state_rejects_the_operations_it_does_not_allow() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    budget(&mut conn, "4.2", "5000000");
    let c = ctx("2025-04-01");
    let act_input = |id: i64| ActInput {
        agreement_id: id,
        stage_id: None,
        number: String::new(),
        date: day("2025-04-01"),
        items: vec![ActItemInput {
            item_code: "4.2".into(),
            amount: d("500000"),
        }],
    };
    let pay = |id: i64| PaymentInput {
        agreement_id: id,
        paid_on: day("2025-03-10"),
        amount: d("1"),
        document: "1".into(),
    };
    let amendment = AmendmentInput {
        number: "1".into(),
        date: day("2025-03-10"),
        items: vec![item("4.2", "500000", "100000")],
        payment_schedule: None,
    };
    // Draft: no start, no amendment, no acts, no payments.
    let draft = create(&mut conn, &c, &standalone(sme, None)).unwrap();
    assert_eq!(start(&mut conn, &c, draft.id).unwrap_err().code, ErrorCode::Rule);
    assert_eq!(
        amend(&mut conn, &c, draft.id, &amendment).unwrap_err().code,
        ErrorCode::Rule
    );
    assert_eq!(
        act::add(&mut conn, &c, &act_input(draft.id)).unwrap_err().code,
        ErrorCode::Rule
    );
    assert_eq!(
        payment::add(&mut conn, &c, &pay(draft.id)).unwrap_err().code,
        ErrorCode::Rule
    );
    // Completed: no sign, no terminate, no amendment, no start back.
    let done = create(&mut conn, &c, &standalone(sme, None)).unwrap();
    sign(&mut conn, &c, done.id, day("2025-03-07")).unwrap();
    let a = act::add(&mut conn, &c, &act_input(done.id)).unwrap();
    act::sign(&mut conn, &c, a.id, day("2025-04-01")).unwrap();
    assert_eq!(get(&conn, done.id).unwrap().status, AgreementStatus::Completed);
    assert_eq!(
        sign(&mut conn, &c, done.id, day("2025-04-01")).unwrap_err().code,
        ErrorCode::Rule
    );
    assert_eq!(
        terminate(&mut conn, &c, done.id, day("2025-04-01"), "x")
            .unwrap_err()
            .code,
        ErrorCode::Rule
    );
    assert_eq!(
        amend(&mut conn, &c, done.id, &amendment).unwrap_err().code,
        ErrorCode::Rule
    );
    assert_eq!(start(&mut conn, &c, done.id).unwrap_err().code, ErrorCode::Rule);
    assert_eq!(
        act::sign(&mut conn, &c, a.id, day("2025-04-01")).unwrap_err().code,
        ErrorCode::Rule
    );
    // Terminated: nothing but reading.
    let gone = create(&mut conn, &c, &standalone(sme, None)).unwrap();
    assert_eq!(
        terminate(&mut conn, &c, gone.id, day("2025-04-01"), " ")
            .unwrap_err()
            .field
            .as_deref(),
        Some("reason")
    );
    terminate(&mut conn, &c, gone.id, day("2025-04-01"), "СМСП отказался").unwrap();
    assert_eq!(
        sign(&mut conn, &c, gone.id, day("2025-04-01")).unwrap_err().code,
        ErrorCode::Rule
    );
    assert_eq!(start(&mut conn, &c, gone.id).unwrap_err().code, ErrorCode::Rule);
    assert_eq!(
        act::add(&mut conn, &c, &act_input(gone.id)).unwrap_err().code,
        ErrorCode::Rule
    );
    assert_eq!(
        terminate(&mut conn, &c, gone.id, day("2025-04-01"), "x")
            .unwrap_err()
            .code,
        ErrorCode::Rule
    );
}
