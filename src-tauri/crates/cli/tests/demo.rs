//! `cpe demo`: fills an empty data directory with the small demo data that passes its own re-check and refuses a directory that already has businesses; the same data then moves to the centre's server and back exactly (one generation for both: it is the slow part).

mod common;

use std::path::Path;
use std::process::Command;

use common::server::{cpe, cpe_env, ok};
use common::*;
use cpe_core::db::test_cluster::fresh_url;

#[test]
fn the_small_demo_passes_its_recheck_and_moves_to_the_server_and_back() {
    let dir = tempfile::tempdir().unwrap();
    fills_an_empty_directory_and_passes_the_recheck(dir.path());
    if let Some(url) = fresh_url("import") {
        moves_to_the_server_and_back_exactly(dir.path(), &url);
    }
}

fn fills_an_empty_directory_and_passes_the_recheck(dir: &Path) {
    let out = common::ok(
        dir,
        &[
            "demo",
            "--scale",
            "small",
            "--seed",
            "3",
            "--today",
            "2026-11-20",
            "--verify",
            "--json",
        ],
    );
    let v = json(out.lines().find(|l| l.starts_with('{')).unwrap());
    assert_eq!(v["smes"], 300);
    assert!(v["agreements"].as_u64().unwrap() > 700, "{v}");
    assert!(v["export_contracts"].as_u64().unwrap() > 100, "{v}");
    assert!(v["overdue_payments"].as_u64().unwrap() > 0, "{v}");

    // The demo centre has accounts: the commands log in as its head.
    let head = ("primerov", cpe_core::demo::DEMO_PASSWORD);
    let ok = |d: &Path, args: &[&str]| succeeded(args, cpe_as(d, head, args));
    let e = fails(dir, &["sme", "list"]);
    assert!(e.contains("--user"), "{e}");
    // The registry and the workflow commands see the data.
    let list = ok(dir, &["sme", "list", "--search", "Демо", "--json"]);
    assert!(list.contains("Демо-"), "{list}");
    let overdue = ok(dir, &["payment", "overdue", "--today", "2026-11-20", "--json"]);
    assert!(json(&overdue).as_array().is_some_and(|a| !a.is_empty()), "{overdue}");
    ok(dir, &["demo", "--verify-only"]);

    // A second fill would mix demo records with existing ones.
    let out = cpe_as(dir, head, &["demo", "--scale", "small"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("только пустую базу"), "{err}");
}

/// Issue 16: a centre's local database (the small demo) moved to the server — every table's rows,
/// the yearly report's figures and every archived document's hash the same there — and the
/// server's data written back into a new local file that reads the same again.
fn moves_to_the_server_and_back_exactly(local: &Path, url: &str) {
    // Two agreements printed, so the archive holds PDFs to compare.
    let numbers: Vec<String> = {
        let file = rusqlite::Connection::open(local.join("cpe.sqlite3")).unwrap();
        let mut st = file
            .prepare("SELECT number FROM agreement ORDER BY id LIMIT 2")
            .unwrap();
        st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    for n in &numbers {
        let pdf = local.join(format!("{}.pdf", n.replace('/', "-")));
        let args = ["pdf", "agreement", n.as_str(), "--out", pdf.to_str().unwrap()];
        succeeded(&args, cpe_as(local, ("primerov", "demo-2026"), &args));
    }
    // The head of the demo centre, on the local file or (with a URL) on the server — there as the
    // server's login, with the password the administrator gave it after the move.
    let on_server = format!("{url} user=primerov password=Сервер-2026");
    let head = |dir: &Path, url: Option<&str>, args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_cpe"));
        c.arg("--data-dir").arg(dir);
        match url {
            Some(_) => c.env("CPE_DATABASE_URL", &on_server),
            None => c.args(["--user", "primerov"]).env("CPE_PASSWORD", "demo-2026"),
        };
        succeeded(args, c.args(args).output().unwrap())
    };
    let import = ["server", "import-local"];
    let imported = succeeded(
        &import,
        Command::new(env!("CARGO_BIN_EXE_cpe"))
            .arg("--data-dir")
            .arg(local)
            .env("CPE_DATABASE_URL", url)
            .args(import)
            .output()
            .unwrap(),
    );
    assert!(imported.contains("cpe server passwd primerov"), "{imported}");
    succeeded(
        &["server", "passwd"],
        cpe_env(
            url,
            &[("CPE_NEW_PASSWORD", "Сервер-2026")],
            &["server", "passwd", "primerov"],
        ),
    );
    let file = rusqlite::Connection::open(local.join("cpe.sqlite3")).unwrap();
    let rows = |table: &str| -> i64 {
        file.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    for table in [
        "sme",
        "agreement",
        "act",
        "payment",
        "document",
        "audit_log",
        "event_participant",
    ] {
        assert!(
            imported.lines().any(|l| l == format!("{table}\t{}", rows(table))),
            "{table}: {} rows expected in\n{imported}",
            rows(table)
        );
    }
    let hashes: String = file
        .query_row(
            "SELECT group_concat(sha256, ',') FROM (SELECT sha256 FROM document ORDER BY id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut server = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let on_server: String = server
        .query_one("SELECT string_agg(sha256, ',' ORDER BY id) FROM document", &[])
        .unwrap()
        .get(0);
    assert_eq!(on_server, hashes, "every archived document, byte for byte");

    let figures = |json: &str| {
        let v = common::json(json);
        (v["kpis"].clone(), v["services"].clone())
    };
    let report = ["report", "yearly", "--year", "2025", "--json"];
    let on_file = head(local, None, &report);
    let there = head(local, Some(url), &report);
    assert_eq!(figures(&there), figures(&on_file), "the yearly report from the server");

    let back = tempfile::tempdir().unwrap();
    let out = back.path().join("cpe.sqlite3");
    let exported = ok(url, &["server", "export-local", "--out", out.to_str().unwrap()]);
    assert!(exported.contains("Всего строк"), "{exported}");
    // The passwords stayed on the server: the exported file is opened as one before accounts
    // (its head sets up a password on first start; until then the CLI works as that setup).
    let args = ["--data-dir", back.path().to_str().unwrap()];
    let again = succeeded(
        &report,
        Command::new(env!("CARGO_BIN_EXE_cpe"))
            .args(args)
            .args(report)
            .output()
            .unwrap(),
    );
    assert_eq!(
        figures(&again),
        figures(&on_file),
        "the yearly report from the exported file"
    );
    let refused = cpe(url, &["server", "export-local", "--out", out.to_str().unwrap()]);
    assert!(!refused.status.success(), "an existing file is not overwritten");
}
