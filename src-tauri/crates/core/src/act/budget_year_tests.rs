//! Issue 18: which year's budget an act spends — the agreement's year up to the carry-over day (000 §6), else the year it is signed in, checked against that year's budget at signing (§6.1.2).

use crate::act::{self, ActInput, ActItemInput};
use crate::agreement::fixture::*;
use crate::agreement::{self, AgreementInput};
use crate::budget;
use crate::db::Db;
use crate::error::ErrorCode;

/// A signed agreement of `date` for 4.2: 1 000 000 ₽, the SME paying 200 000 ₽ (the centre 800 000 ₽),
/// with one unsigned act of the whole cost dated `act_on`.
fn agreement_with_act(conn: &mut Db, sme_id: i64, date: &str, act_on: &str) -> (i64, i64) {
    let mut input = AgreementInput {
        date: day(date),
        items: vec![item("4.2", "1000000", "200000")],
        ..standalone(sme_id, None)
    };
    input.payment_schedule[0].amount = d("200000");
    input.payment_schedule[0].due_on = day(date);
    let a = agreement::create(conn, &ctx(date), &input).unwrap();
    agreement::sign(conn, &ctx(date), a.id, day(date)).unwrap();
    let act = act::add(
        conn,
        &ctx(act_on),
        &ActInput {
            agreement_id: a.id,
            stage_id: None,
            number: String::new(),
            date: day(act_on),
            items: vec![ActItemInput {
                item_code: "4.2".into(),
                amount: d("1000000"),
            }],
        },
    )
    .unwrap();
    (a.id, act.id)
}

/// (committed, spent) of 4.2 in `year`.
fn usage(conn: &Db, year: i32) -> (String, String) {
    let status = budget::show(conn, year).unwrap();
    let line = status.line("4.2").unwrap();
    (line.committed.to_string(), line.spent.to_string())
}

#[test]
fn a_december_agreement_is_paid_by_its_years_budget_until_april_then_by_the_signing_years() {
    let (_dir, mut conn) = open();
    budget(&mut conn, "4.2", "2000000");
    budget::set_line(&mut conn, &ctx("2025-01-10"), 2026, "4.2", d("500000")).unwrap();
    let first = eligible_sme_on(&mut conn, "7707083893", "2025-12-01");
    let second = eligible_sme_on(&mut conn, "7736207543", "2025-12-01");
    let (_, january) = agreement_with_act(&mut conn, first, "2025-12-10", "2026-01-20");
    let (_, april) = agreement_with_act(&mut conn, second, "2025-12-12", "2026-04-10");
    assert_eq!(
        usage(&conn, 2025),
        ("1600000.00".into(), "0.00".into()),
        "both committed in 2025"
    );
    assert_eq!(
        usage(&conn, 2026),
        ("0.00".into(), "0.00".into()),
        "nothing reserved in 2026"
    );

    // Signed in January: 2025's committed money is spent; 2026 is untouched.
    let signed = act::sign(&mut conn, &ctx("2026-01-20"), january, day("2026-01-20")).unwrap();
    assert_eq!(signed.budget_year, Some(2025));
    assert_eq!(usage(&conn, 2025), ("800000.00".into(), "800000.00".into()));
    assert_eq!(usage(&conn, 2026), ("0.00".into(), "0.00".into()));

    // Signed on 10 April: 2025's money can no longer pay it, and 2026's budget of 500 000 ₽ cannot.
    let e = act::sign(&mut conn, &ctx("2026-04-10"), april, day("2026-04-10")).unwrap_err();
    assert_eq!(e.code, ErrorCode::Rule);
    for part in [
        "п. 6.1.2",
        "после 31.03.2026",
        "сметы 2026 года",
        "осталось 500\u{a0}000,00\u{a0}₽",
    ] {
        assert!(e.message.contains(part), "«{part}» in: {}", e.message);
    }
    assert_eq!(act::get(&conn, april).unwrap().signed_on, None, "nothing saved");
    assert_eq!(act::get(&conn, april).unwrap().budget_year, None);

    // With 2026's budget raised, it is signed and spends 2026's money; 2025 no longer holds it.
    budget::set_line(&mut conn, &ctx("2026-04-10"), 2026, "4.2", d("1000000")).unwrap();
    let signed = act::sign(&mut conn, &ctx("2026-04-10"), april, day("2026-04-10")).unwrap();
    assert_eq!(signed.budget_year, Some(2026));
    assert_eq!(usage(&conn, 2025), ("0.00".into(), "800000.00".into()));
    assert_eq!(usage(&conn, 2026), ("0.00".into(), "800000.00".into()));
}

#[test]
fn without_a_budget_for_the_signing_year_a_late_act_names_the_year_to_set() {
    let (_dir, mut conn) = open();
    budget(&mut conn, "4.2", "2000000");
    let sme = eligible_sme_on(&mut conn, "7707083893", "2025-12-01");
    let (_, late) = agreement_with_act(&mut conn, sme, "2025-12-10", "2026-05-05");
    let e = act::sign(&mut conn, &ctx("2026-05-05"), late, day("2026-05-05")).unwrap_err();
    assert!(e.message.contains("Задайте смету на 2026 год"), "{}", e.message);

    // A centre reading the carry-over as until 1 July signs it on 2025's money.
    let mut settings = crate::cofinancing::get_settings(&conn).unwrap();
    settings.carry_over_month = 7;
    crate::cofinancing::save_settings(&mut conn, &ctx("2026-05-05"), &settings).unwrap();
    let signed = act::sign(&mut conn, &ctx("2026-05-05"), late, day("2026-05-05")).unwrap();
    assert_eq!(signed.budget_year, Some(2025));
    assert_eq!(usage(&conn, 2025), ("0.00".into(), "800000.00".into()));

    settings.carry_over_month = 2;
    settings.carry_over_day = 30;
    let e = crate::cofinancing::save_settings(&mut conn, &ctx("2026-05-05"), &settings).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("carry_over"));
}

/// Migration 0023 gives the acts signed before it their budget year by the default rule.
#[test]
fn acts_signed_before_the_change_get_their_budget_year() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(crate::db::DB_FILE);
    {
        let old = crate::db::create_as_of(&path, "0022_catalog_full_names");
        old.execute_batch(
            "INSERT INTO sme (id, kind, full_name, inn, created_at, updated_at)
             VALUES (1, 'legal_entity', 'ООО «Ромашка»', '7707083893', '2024-12-01', '2024-12-01');
             INSERT INTO catalog_version (id, effective_from, title, services_json, created_at, updated_at)
             VALUES (1, '2024-01-01', 'Каталог', '[]', '2024-01-01', '2024-01-01');
             INSERT INTO agreement (id, number, date, sme_id, catalog_version_id, service_code, status, created_at, updated_at)
             VALUES (1, '1/2024-С', '2024-12-10', 1, 1, '4.2', 'completed', '2024-12-10', '2024-12-10');
             INSERT INTO act (id, agreement_id, number, date, signed_on, created_at) VALUES
                 (1, 1, '1', '2024-12-20', '2024-12-20', '2024-12-20'),
                 (2, 1, '2', '2025-01-20', '2025-01-20', '2025-01-20'),
                 (3, 1, '3', '2025-03-31', '2025-03-31', '2025-03-31'),
                 (4, 1, '4', '2025-04-01', '2025-04-01', '2025-04-01'),
                 (5, 1, '5', '2025-05-05', NULL, '2025-05-05');",
        )
        .unwrap();
    }
    let conn = crate::db::open(&path).unwrap();
    let years: Vec<Option<i32>> = (1..=5).map(|id| act::get(&conn, id).unwrap().budget_year).collect();
    assert_eq!(years, vec![Some(2024), Some(2024), Some(2024), Some(2025), None]);
}

/// Migration 0033 gives the acts signed before it their service and centre share; unsigned ones
/// get them when signed.
#[test]
fn acts_signed_before_the_change_carry_their_service_and_centre_share() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(crate::db::DB_FILE);
    {
        let old = crate::db::create_as_of(&path, "0032_audit_login");
        old.execute_batch(
            "INSERT INTO sme (id, kind, full_name, inn, created_at, updated_at)
             VALUES (1, 'legal_entity', 'ООО «Ромашка»', '7707083893', '2024-12-01', '2024-12-01');
             INSERT INTO catalog_version (id, effective_from, title, services_json, created_at, updated_at)
             VALUES (1, '2024-01-01', 'Каталог', '[]', '2024-01-01', '2024-01-01');
             INSERT INTO agreement (id, number, date, sme_id, catalog_version_id, service_code, status, created_at, updated_at)
             VALUES (1, '1/2025-С', '2025-02-10', 1, 1, '4.2', 'in_progress', '2025-02-10', '2025-02-10');
             INSERT INTO act (id, agreement_id, number, date, signed_on, budget_year, created_at) VALUES
                 (1, 1, '1', '2025-03-20', '2025-03-20', 2025, '2025-03-20'),
                 (2, 1, '2', '2025-05-05', NULL, NULL, '2025-05-05');
             INSERT INTO act_item (act_id, item_code, amount, centre_share) VALUES
                 (1, '4.2.1', '100000.00', '80000.00'), (1, '4.2.2', '0.03', '0.02'),
                 (2, '4.2.1', '5000.00', '4000.00');",
        )
        .unwrap();
    }
    let conn = crate::db::open(&path).unwrap();
    let rows: Vec<(Option<String>, Option<i64>)> = conn
        .query_map("SELECT service_code, centre_kopecks FROM act ORDER BY id", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(rows, vec![(Some("4.2".into()), Some(8_000_002)), (None, None)]);
}
