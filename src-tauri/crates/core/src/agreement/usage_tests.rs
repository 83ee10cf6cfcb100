//! Tests of the year's budget usage kept between checks (`Db::memo`): it follows a colleague's signature made through another connection, this connection's own acts, a change seen inside itself and forgotten when rolled back, and an agreement left out of its own check.

use super::fixture::*;
use super::*;
use crate::act;
use crate::budget::{self, UsageKind};
use crate::db::Db;

fn signed_for(conn: &mut Db, inn: &str) -> Agreement {
    let sme = eligible_sme(conn, inn);
    let app = approved_application(conn, sme, "4.2", &[]);
    let a = create(conn, &ctx("2025-03-06"), &standalone(sme, Some(app))).unwrap();
    sign(conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).unwrap()
}

/// Committed and spent of row 4.2 of 2025, as the budget screen and the engine see them.
fn line(conn: &Db) -> (rust_decimal::Decimal, rust_decimal::Decimal) {
    let status = budget::show(conn, 2025).unwrap();
    let l = status.line("4.2").unwrap();
    (l.committed, l.spent)
}

#[test]
fn the_kept_budget_usage_follows_every_change() {
    let (dir, mut conn) = open();
    budget(&mut conn, "4.2", "5000000");
    let a = signed_for(&mut conn, "7707083893");
    assert_eq!(line(&conn), (d("400000"), d("0")));
    assert_eq!(line(&conn), (d("400000"), d("0")), "read again from what was kept");

    // A colleague signs for another SME through their own connection.
    let mut colleague = second_connection(&dir, &conn);
    let b = signed_for(&mut colleague, "7736207543");
    assert_eq!(line(&conn), (d("800000"), d("0")));

    // This connection's own signed act: 200 000 of which the centre pays 80 %.
    let act = act::add(&mut conn, &ctx("2025-04-01"), &act_of(a.id, "200000")).unwrap();
    act::sign(&mut conn, &ctx("2025-04-02"), act.id, day("2025-04-02")).unwrap();
    assert_eq!(line(&conn), (d("640000"), d("160000")));

    // Inside a change its own rows count; rolled back, they are gone.
    {
        let tx = conn.write_unchecked().unwrap();
        tx.execute(
            "UPDATE act SET centre_kopecks = 100000 WHERE budget_year IS NOT NULL",
            [],
        )
        .unwrap();
        let spent: Vec<_> = budget_usage(&tx, 2025, None)
            .unwrap()
            .into_iter()
            .filter(|u| u.kind == UsageKind::Spent)
            .map(|u| u.centre_share)
            .collect();
        assert_eq!(spent, [d("1000")]);
    }
    assert_eq!(line(&conn), (d("640000"), d("160000")));

    // Re-checking agreement `a` leaves out its acts and what it has left; `b` stays.
    let usage = budget_usage(&conn, 2025, Some(a.id)).unwrap();
    let shares: Vec<_> = usage.iter().map(|u| (u.kind, u.centre_share)).collect();
    assert_eq!(shares, [(UsageKind::Committed, d("400000"))]);
    let usage = budget_usage(&conn, 2025, Some(b.id)).unwrap();
    let shares: Vec<_> = usage.iter().map(|u| (u.kind, u.centre_share)).collect();
    assert_eq!(
        shares,
        [(UsageKind::Spent, d("160000")), (UsageKind::Committed, d("240000"))]
    );
}

#[test]
fn a_signed_acts_stored_share_that_disagrees_with_its_items_is_reported_by_the_check() {
    let (_dir, mut conn) = open();
    budget(&mut conn, "4.2", "5000000");
    let a = signed_for(&mut conn, "7707083893");
    let act = act::add(&mut conn, &ctx("2025-04-01"), &act_of(a.id, "200000")).unwrap();
    act::sign(&mut conn, &ctx("2025-04-02"), act.id, day("2025-04-02")).unwrap();
    assert_eq!(crate::db::check(&conn).unwrap(), Vec::<String>::new());
    conn.execute("UPDATE act SET centre_kopecks = 1 WHERE id = ?1", [act.id])
        .unwrap();
    let problems = crate::db::check(&conn).unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains(&format!("Акт № {}", act.number)),
        "{}",
        problems[0]
    );
}
