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

    // The registry and the workflow commands see the data.
    let list = ok(dir.path(), &["sme", "list", "--search", "Демо", "--json"]);
    assert!(list.contains("Демо-"), "{list}");
    let overdue = ok(dir.path(), &["payment", "overdue", "--today", "2026-11-20", "--json"]);
    assert!(json(&overdue).as_array().is_some_and(|a| !a.is_empty()), "{overdue}");
    ok(dir.path(), &["demo", "--verify-only"]);

    // A second fill would mix demo records with existing ones.
    let err = fails(dir.path(), &["demo", "--scale", "small"]);
    assert!(err.contains("только пустую базу"), "{err}");
}
