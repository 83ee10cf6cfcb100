//! Issue 14's reproductions through the built `cpe`: huge amounts and rates refused with a Russian message naming the field and nothing saved, a huge value put into the file by other means reported instead of crashing, a closed stdout ending the command quietly.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{cpe, ok};

/// Exit code and standard error of a command that must be refused without a panic.
fn refused(dir: &Path, args: &[&str]) -> String {
    let out = cpe(dir, args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "cpe {args:?}: {err}");
    assert!(!err.contains("panicked"), "cpe {args:?} panicked: {err}");
    err
}

fn count(dir: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(dir.join("cpe.sqlite3")).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn with_sme(dir: &Path) {
    ok(
        dir,
        &[
            "sme",
            "add",
            "--kind",
            "ul",
            "--inn",
            "7707083893",
            "--name",
            "ООО «Ромашка»",
            "--region",
            "27",
        ],
    );
}

#[test]
fn huge_amounts_are_refused_where_typed_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    with_sme(d);
    for service in ["4.2", "4.3"] {
        let e = refused(
            d,
            &[
                "budget",
                "set",
                "--year",
                "2025",
                "--service",
                service,
                "--amount",
                "50000000000000000000000000000",
            ],
        );
        assert!(e.contains("больше допустимого"), "{e}");
    }
    let e = refused(d, &["budget", "set", "--year", "2025", "--total", "1000000000000"]);
    assert!(e.contains("больше допустимого"), "{e}");
    assert_eq!(
        count(d, "SELECT count(*) FROM budget_line") + count(d, "SELECT count(*) FROM budget_year"),
        0
    );
    // The year still shows and reports.
    ok(d, &["budget", "show", "--year", "2025"]);
    ok(d, &["report", "yearly", "--year", "2025", "--json"]);

    let e = refused(
        d,
        &[
            "agreement",
            "add",
            "--inn",
            "7707083893",
            "--service",
            "5.2",
            "--date",
            "2025-03-06",
            "--item",
            "5.2.b1:50000000000000000000000000000:0",
            "--item",
            "5.2.a2:50000000000000000000000000000:0",
        ],
    );
    assert!(e.contains("больше допустимого"), "{e}");
    assert_eq!(count(d, "SELECT count(*) FROM agreement"), 0);

    let e = refused(
        d,
        &[
            "cofinancing",
            "check",
            "--inn",
            "7707083893",
            "--service",
            "4.3",
            "--date",
            "2025-03-06",
            "--cost",
            "79228162514264337593543950335",
            "--sme-share",
            "0",
            "--fees",
            "79228162514264337593543950335",
        ],
    );
    assert!(e.contains("больше допустимого"), "{e}");

    for value in ["79228162514264337593543950335", "0,0000000000000000000000000001"] {
        let e = refused(
            d,
            &[
                "rates",
                "set",
                "--date",
                "2025-03-06",
                "--currency",
                "CNY",
                "--value",
                value,
            ],
        );
        assert!(e.contains("Курс"), "{value}: {e}");
    }
    assert_eq!(count(d, "SELECT count(*) FROM currency_rate"), 0);
}

#[test]
fn export_volumes_beyond_the_bound_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    with_sme(d);
    ok(
        d,
        &[
            "rates",
            "set",
            "--date",
            "2025-04-15",
            "--currency",
            "USD",
            "--value",
            "83,4921",
        ],
    );
    let json = r#"{"sme_id": 1, "kind": "contract", "agreement_id": null, "subject": "Мёд", "number": "1",
        "contract_date": "2025-04-15", "country_code": "156", "buyer_id": null, "create_buyer": false,
        "counterparty_name": "Harbin Sweet", "currency": "USD", "amount": "60000000000000000000000000000",
        "volumes": [{"year": 2025, "amount": "50000000000000000000000000000"},
                    {"year": 2026, "amount": "50000000000000000000000000000"}],
        "reported_on": "2025-04-20", "notes": ""}"#;
    let mut child = Command::new(env!("CARGO_BIN_EXE_cpe"))
        .args([
            "--data-dir",
            d.to_str().unwrap(),
            "--actor",
            "Тест",
            "export-contract",
            "add",
            "--json",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), json.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("больше допустимого") && !err.contains("panicked"), "{err}");
    assert_eq!(count(d, "SELECT count(*) FROM export_contract"), 0);
}

/// A value that got into the file by other means (an old version, a hand edit) is reported, not a
/// crash of every screen that sums it.
#[test]
fn a_huge_stored_value_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    with_sme(d);
    ok(
        d,
        &[
            "budget",
            "set",
            "--year",
            "2025",
            "--service",
            "4.2",
            "--amount",
            "5000000",
        ],
    );
    let conn = rusqlite::Connection::open(d.join("cpe.sqlite3")).unwrap();
    conn.execute("UPDATE budget_line SET amount = '50000000000000000000000000000'", [])
        .unwrap();
    drop(conn);
    for args in [
        vec!["budget", "show", "--year", "2025"],
        vec!["report", "yearly", "--year", "2025", "--json"],
        vec![
            "cofinancing",
            "check",
            "--inn",
            "7707083893",
            "--service",
            "4.2",
            "--date",
            "2025-03-06",
            "--cost",
            "100000",
            "--sme-share",
            "20000",
        ],
    ] {
        let e = refused(d, &args);
        assert!(e.contains("вне допустимых пределов"), "{args:?}: {e}");
    }
}

/// `cpe report yearly --json | head -1` printed a panic backtrace.
#[test]
#[cfg(unix)]
fn a_closed_stdout_ends_the_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_cpe"))
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "report",
            "yearly",
            "--year",
            "2025",
            "--json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end at once: the command opens its database first, so its every print
    // meets a pipe nobody reads, as after `head -1` has taken its line.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(out.status.code(), Some(101), "{err}");
}
