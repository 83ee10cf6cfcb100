//! The built `cpe` binary on the real registry fixtures: import with progress and the JSON last line, snapshots, eligibility check by INN, errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/fixtures/fns-sme-registry")
        .join(name)
}

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
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// An INN of the given region stored by the import, read straight from the database.
fn stored_inn(dir: &Path, region: &str) -> Option<String> {
    let conn = cpe_core::db::open_in(dir).unwrap();
    conn.query_row(
        "SELECT inn FROM fns_record WHERE region_code = ?1 LIMIT 1",
        [region],
        |r| r.get(0),
    )
    .ok()
}

#[test]
fn import_prints_progress_and_the_json_summary_last() {
    let dir = tempfile::tempdir().unwrap();
    let zip = fixture("rsmp-sample-2019-02-10-v4.01.zip");
    let out = cpe(
        dir.path(),
        &["sme", "import-fns", zip.to_str().unwrap(), "--region", "59", "--json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let last = text.lines().last().unwrap();
    let v: serde_json::Value = serde_json::from_str(last).unwrap();
    let imported = v["imported"].as_i64().unwrap();
    assert_eq!(
        last,
        format!(r#"{{"imported": {imported}, "skipped": 0, "duplicate": 0, "snapshot_date": "2019-02-10"}}"#)
    );
    assert!(
        stderr(&out).contains("файлы 3/3") && stderr(&out).contains("МБ/с"),
        "{}",
        stderr(&out)
    );

    let list = cpe(dir.path(), &["sme", "snapshots", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&stdout(&list)).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["records_imported"].as_i64(), Some(imported));
    assert_eq!(list[0]["imported_by"], "Тестовый сотрудник");

    // The same archive and region again: replaced, not duplicated.
    let again = cpe(
        dir.path(),
        &["sme", "import-fns", zip.to_str().unwrap(), "--region", "59", "--json"],
    );
    assert_eq!(stdout(&again).lines().last(), Some(last));
    let text = stdout(&cpe(dir.path(), &["sme", "snapshots"]));
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("10.02.2019\t59\tзаписей"), "{text}");
}

#[test]
fn check_answers_criteria_1_and_2_from_the_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    assert!(cpe(dir.path(), &["settings", "set", "region_code", "59"])
        .status
        .success());
    let zip = fixture("rsmp-sample-2019-02-10-v4.01.zip");
    assert!(cpe(dir.path(), &["sme", "import-fns", zip.to_str().unwrap()])
        .status
        .success());
    let local = stored_inn(dir.path(), "59").unwrap();
    let other = stored_inn(dir.path(), "52").unwrap();

    let out = cpe(dir.path(), &["sme", "check", &local, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["verdict"], "needs_recheck");
    assert_eq!(v["criteria"][0]["criterion"], "in_sme_registry");
    assert_eq!(v["criteria"][0]["outcome"], "pass");
    assert_eq!(v["criteria"][1]["outcome"], "pass");
    assert_eq!(v["source"]["state_date"], "2019-02-10");

    let v: serde_json::Value =
        serde_json::from_str(&stdout(&cpe(dir.path(), &["sme", "check", &other, "--json"]))).unwrap();
    assert_eq!(v["criteria"][1]["outcome"], "fail");
    assert_eq!(v["failed"][0], "in_centre_region");

    let text = stdout(&cpe(dir.path(), &["sme", "check", &local]));
    assert!(
        text.contains("Нужна проверка") && text.contains("проверяет сотрудник"),
        "{text}"
    );
    assert!(text.contains("[соответствует] Включён в единый реестр"), "{text}");

    let bad = cpe(dir.path(), &["sme", "check", "7707083890"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("контрольная сумма"), "{}", stderr(&bad));
}

#[test]
fn a_malformed_file_fails_with_its_name_and_keeps_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("сломанный.xml");
    std::fs::write(
        &broken,
        r#"<?xml version="1.0" encoding="UTF-8"?><Файл ВерсФорм="4.01"><Документ ДатаСост="10.02.2019"></Файл>"#,
    )
    .unwrap();
    let out = cpe(dir.path(), &["sme", "import-fns", broken.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("Файл сломанный.xml: ошибка в XML около байта"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
    assert!(stdout(&cpe(dir.path(), &["sme", "snapshots"])).contains("не загружены"));
}
