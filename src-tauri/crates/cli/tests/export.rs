//! `cpe rates`, `cpe export-contract`, `cpe buyer` end to end on a real data directory, with the hand-made CB files of the core's tests.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{fails, json, ok};

fn cbr(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/data/cbr")
        .join(name)
        .display()
        .to_string()
}

/// Runs `cpe` with `input` on standard input; (success, stdout, stderr).
fn with_stdin(dir: &Path, args: &[&str], input: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cpe"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--actor", "Петрова А. С."])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn rates_import_reports_imported_unchanged_and_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = ok(
        d,
        &[
            "rates",
            "import",
            &cbr("daily_2025-03-14_cp1251.xml"),
            &cbr("dynamic_usd_2025-03.xml"),
        ],
    );
    assert!(
        out.contains("daily_2025-03-14_cp1251.xml (на 14.03.2025): загружено 5, без изменений 0"),
        "{out}"
    );
    assert!(
        out.contains("(с 11.03.2025 по 15.03.2025): загружено 4, без изменений 1"),
        "{out}"
    );
    let again = common::cpe(d, &["rates", "import", &cbr("daily_2025-03-14_conflict.xml")]);
    assert_eq!(again.status.code(), Some(2), "a conflict is exit 2");
    let text = String::from_utf8(again.stdout).unwrap();
    assert!(
        text.contains("14.03.2025 USD: в базе 86.8389 (файл ЦБ на дату), в файле 90"),
        "{text}"
    );
    assert_eq!(
        ok(d, &["rates", "show", "--date", "2025-03-14", "--currency", "usd"]).trim(),
        "14.03.2025\tUSD\t86.8389"
    );
    // Sunday takes Saturday's record; the JPY rate is per yen.
    let all = ok(d, &["rates", "show", "--date", "2025-03-16"]);
    assert!(
        all.contains("16.03.2025\tUSD\t86.302\t(установлен на 15.03.2025)"),
        "{all}"
    );
    let jpy = json(&ok(
        d,
        &["rates", "show", "--date", "2025-03-14", "--currency", "JPY", "--json"],
    ));
    assert_eq!(jpy[0]["unit_rate"], "0.58674");
    let e = fails(d, &["rates", "show", "--date", "2025-03-18", "--currency", "USD"]);
    assert!(e.contains("Нет курса ЦБ USD на 18.03.2025"), "{e}");
    ok(
        d,
        &[
            "rates",
            "set",
            "--date",
            "2025-03-18",
            "--currency",
            "USD",
            "--value",
            "85,1",
        ],
    );
    assert!(ok(d, &["rates", "show", "--date", "2025-03-18", "--currency", "USD"]).contains("85.1"));
}

#[test]
fn a_contract_and_a_buyer_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sme = json(&ok(
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
            "--json",
        ],
    ));
    let sme_id = sme["id"].as_i64().unwrap();
    ok(d, &["rates", "import", &cbr("daily_2025-03-14_cp1251.xml")]);
    let input = format!(
        r#"{{"sme_id": {sme_id}, "kind": "contract", "subject": "Мёд", "contract_date": "2025-03-14",
            "country_code": "156", "create_buyer": true, "counterparty_name": "Harbin Sweet Trading",
            "currency": "CNY", "amount": "1000000", "volumes": [{{"year": 2025, "amount": "1000000"}}],
            "reported_on": "2025-03-20"}}"#
    );
    let (success, out, err) = with_stdin(d, &["export-contract", "add", "--json"], &input);
    assert!(success, "{out}{err}");
    assert_eq!(json(&out)["usd_thousand"], "137.684");
    let list = ok(d, &["export-contract", "list"]);
    assert!(
        list.contains("Китай\tHarbin Sweet Trading\t1000000 CNY\t137.684 тыс. USD\tбез поддержки"),
        "{list}"
    );
    let (success, _, err) = with_stdin(
        d,
        &["export-contract", "add", "--json"],
        &input.replace("\"156\"", "\"999\""),
    );
    assert!(!success && err.contains("кода «999» нет в ОКСМ"), "{err}");

    let buyers = ok(d, &["buyer", "list", "--search", "harbin"]);
    assert!(buyers.contains("Harbin Sweet Trading\tКитай"), "{buyers}");
    let (success, out, err) = with_stdin(
        d,
        &["buyer", "add", "--json"],
        r#"{"name": "ТОО «Медовый Дом»", "country_code": "398", "city": "Алматы", "hs_codes": "0409",
            "source_kind": "event", "source_text": "Продэкспо"}"#,
    );
    assert!(success, "{out}{err}");
    assert!(ok(d, &["buyer", "list", "--hs", "04"]).contains("ТОО «Медовый Дом»\tКазахстан\tАлматы\t0409"));
    let file = d.join("buyers.xlsx");
    assert!(ok(d, &["buyer", "export", file.to_str().unwrap()]).contains("Выгружено покупателей: 2"));
    assert!(file.exists());
}
