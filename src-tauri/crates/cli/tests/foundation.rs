//! The CLI as a script sees it: exit codes, `ok` lines, JSON output and Russian reasons of the foundation commands.

use std::path::Path;
use std::process::{Command, Output};

fn cpe(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cpe"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--actor", "Тестовый сотрудник"])
        .args(args)
        .output()
        .expect("cpe runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn validate_prints_ok_or_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let ok = cpe(dir.path(), &["validate", "inn", "7707083893"]);
    assert!(ok.status.success());
    assert_eq!(stdout(&ok), "ok\n");
    let bad = cpe(dir.path(), &["validate", "inn", "7707083894"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stdout(&bad).contains("контрольная сумма"));
    assert!(cpe(dir.path(), &["validate", "ogrnip", "304500116000157"])
        .status
        .success());
    assert!(!cpe(dir.path(), &["validate", "kpp", "77280100"]).status.success());
}

#[test]
fn sme_add_and_list_with_json() {
    let dir = tempfile::tempdir().unwrap();
    assert!(cpe(dir.path(), &["init"]).status.success());
    let bad = cpe(
        dir.path(),
        &[
            "sme",
            "add",
            "--kind",
            "ul",
            "--inn",
            "7707329153",
            "--name",
            "ООО «Ромашка»",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("ИНН 7707329153: неверная контрольная сумма"));
    let add = cpe(
        dir.path(),
        &[
            "sme",
            "add",
            "--kind",
            "ip",
            "--inn",
            "500100732259",
            "--name",
            "ИП Петров",
            "--ogrn",
            "304500116000157",
        ],
    );
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
    let list = cpe(dir.path(), &["sme", "list", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["kind"], "sole_proprietor");
    assert_eq!(rows[0]["inn"], "500100732259");
}

#[test]
fn settings_backup_and_check() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        cpe(dir.path(), &["settings", "set", "short_name", "ЦПЭ Хабаровского края"])
            .status
            .success()
    );
    let bad = cpe(dir.path(), &["settings", "set", "bik", "04"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("БИК"));
    let show = cpe(dir.path(), &["settings", "show", "--json"]);
    let s: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(s["short_name"], "ЦПЭ Хабаровского края");
    assert_eq!(s["bik"], "");
    let copy = dir.path().join("copy.sqlite3");
    assert!(cpe(dir.path(), &["backup", copy.to_str().unwrap()]).status.success());
    let check = cpe(dir.path(), &["check"]);
    assert_eq!(stdout(&check), "ok\n");
    let other = tempfile::tempdir().unwrap();
    std::fs::copy(&copy, other.path().join("cpe.sqlite3")).unwrap();
    let show = cpe(other.path(), &["settings", "show", "--json"]);
    let s: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(s["short_name"], "ЦПЭ Хабаровского края");
}
