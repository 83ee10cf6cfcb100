//! `cpe demo`: fills an empty data directory with the small demo data that passes its own re-check, and refuses a directory that already has businesses.

mod common;

use common::*;

#[test]
fn demo_small_fills_an_empty_directory_and_passes_the_recheck() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(
        dir.path(),
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
    let ok = |d: &std::path::Path, args: &[&str]| succeeded(args, cpe_as(d, head, args));
    let e = fails(dir.path(), &["sme", "list"]);
    assert!(e.contains("--user"), "{e}");
    // The registry and the workflow commands see the data.
    let list = ok(dir.path(), &["sme", "list", "--search", "Демо", "--json"]);
    assert!(list.contains("Демо-"), "{list}");
    let overdue = ok(dir.path(), &["payment", "overdue", "--today", "2026-11-20", "--json"]);
    assert!(json(&overdue).as_array().is_some_and(|a| !a.is_empty()), "{overdue}");
    ok(dir.path(), &["demo", "--verify-only"]);

    // A second fill would mix demo records with existing ones.
    let out = cpe_as(dir.path(), head, &["demo", "--scale", "small"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("только пустую базу"), "{err}");
}
