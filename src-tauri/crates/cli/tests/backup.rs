//! `cpe backup` through the built binary: a daily copy at the first command, copies on request, and a restore that brings the data back and keeps what it replaced.

mod common;

use common::{fails, json, ok};

#[test]
fn copies_are_made_listed_and_restored() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(
        d,
        &[
            "sme",
            "add",
            "--kind",
            "ul",
            "--inn",
            "7707083893",
            "--name",
            "ООО «Ромашка»",
        ],
    );
    let list = json(&ok(d, &["backup", "list", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 1, "the day's copy at the first command");
    assert_eq!(list[0]["kind"], "daily");

    let made = ok(d, &["backup", "create"]);
    let copy = made.trim().strip_prefix("Копия сохранена: ").unwrap().to_owned();
    ok(
        d,
        &[
            "sme",
            "add",
            "--kind",
            "ul",
            "--inn",
            "2721999992",
            "--name",
            "ООО «После копии»",
        ],
    );
    let out = ok(d, &["backup", "restore", &copy]);
    assert!(out.contains("База восстановлена"), "{out}");
    let smes = json(&ok(d, &["sme", "list", "--json"]));
    assert_eq!(
        smes.as_array().unwrap().len(),
        1,
        "the SME added after the copy is gone"
    );
    let kinds: Vec<String> = json(&ok(d, &["backup", "list", "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["kind"].as_str().unwrap().to_owned())
        .collect();
    assert!(kinds.contains(&"before_restore".to_owned()), "{kinds:?}");

    let junk = d.join("не копия.sqlite3");
    std::fs::write(&junk, b"junk").unwrap();
    let err = fails(d, &["backup", "restore", junk.to_str().unwrap()]);
    assert!(err.contains("Текущая база не изменена"), "{err}");
    // The old form still writes a copy where asked.
    let file = d.join("копия.sqlite3");
    ok(d, &["backup", file.to_str().unwrap()]);
    assert!(file.exists());
}
