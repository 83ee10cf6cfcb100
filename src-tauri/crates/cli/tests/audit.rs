//! `cpe audit list`: the journal of changes read from a terminal, with its filters and the XLSX export.

mod common;

use std::path::Path;

use common::{fails, json, ok};

/// `cpe` as another staff member than the helpers' one.
fn as_ivanov(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cpe"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--actor", "Иванов И. И."])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn the_journal_names_who_changed_which_record_and_each_field_in_russian() {
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
    as_ivanov(d, &["settings", "set", "city", "г. Хабаровск"]);

    let all = json(&ok(d, &["audit", "list", "--json"]));
    assert_eq!(all["total"], 2);
    let newest = &all["rows"][0];
    assert_eq!(newest["actor"], "Иванов И. И.");
    assert_eq!(newest["entity_label"], "Реквизиты ЦПЭ");
    assert_eq!(newest["changes"][0]["label"], "Город");
    assert_eq!(newest["changes"][0]["after"], "г. Хабаровск");

    let sme = json(&ok(d, &["audit", "list", "--record", "sme:1", "--json"]));
    assert_eq!(sme["total"], 1);
    assert_eq!(sme["rows"][0]["record_name"], "ООО «Ромашка»");
    assert_eq!(sme["rows"][0]["action_label"], "создание");

    let by = json(&ok(d, &["audit", "list", "--who", "Петрова А. С.", "--json"]));
    assert_eq!(by["total"], 1);
    let found = json(&ok(d, &["audit", "list", "--search", "РОМАШКА", "--json"]));
    assert_eq!(found["total"], 1, "search ignores the case of Russian letters");

    let text = ok(d, &["audit", "list"]);
    assert!(text.contains("Иванов И. И.\tизменение\tРеквизиты ЦПЭ"), "{text}");
    assert!(text.contains("Город: — → г. Хабаровск"), "{text}");

    let e = fails(d, &["audit", "list", "--record", "sme"]);
    assert!(e.contains("agreement:12"), "{e}");

    let file = d.join("журнал.xlsx");
    let out = ok(d, &["audit", "list", "--xlsx", file.to_str().unwrap()]);
    assert!(out.contains("Выгружено записей журнала: 2"), "{out}");
    assert!(std::fs::metadata(&file).unwrap().len() > 1000);

    // What left the program is in the journal too: the list of businesses, the journal itself.
    let list = d.join("смсп.csv");
    ok(d, &["sme", "export", list.to_str().unwrap()]);
    let out = json(&ok(d, &["audit", "list", "--action", "export", "--json"]));
    assert_eq!(out["total"], 2);
    let sme_list = &out["rows"][0];
    assert_eq!(sme_list["record_name"], "Реестр СМСП");
    assert_eq!(sme_list["action_label"], "выгрузка в файл");
    let fields: Vec<(&str, &str)> = sme_list["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["label"].as_str().unwrap(), c["after"].as_str().unwrap()))
        .collect();
    assert!(fields.contains(&("Записей", "1")), "{fields:?}");
    assert!(fields.contains(&("Файл", list.to_str().unwrap())), "{fields:?}");
    assert_eq!(out["rows"][1]["record_name"], "Журнал изменений");
}
