//! The built `cpe` binary end to end: catalog, budget and cofinancing check commands against a real database in a temp dir.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn cpe(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cpe"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--actor", "Тест"])
        .args(args)
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn codes(v: &Value) -> Vec<String> {
    v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["code"].as_str().unwrap().to_owned())
        .collect()
}

/// A database with one SME and a 2025 budget for 4.2 and 5.2.
fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = cpe(
        dir.path(),
        &[
            "sme",
            "add",
            "--kind",
            "ul",
            "--inn",
            "7707083893",
            "--name",
            "ООО «Тест»",
            "--region",
            "27",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for (service, amount) in [("4.2", "5000000"), ("5.2", "1 000 000,00")] {
        let out = cpe(
            dir.path(),
            &[
                "budget",
                "set",
                "--year",
                "2025",
                "--service",
                service,
                "--amount",
                amount,
            ],
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    dir
}

const CHECK_42: [&str; 12] = [
    "cofinancing",
    "check",
    "--inn",
    "7707083893",
    "--service",
    "4.2",
    "--cost",
    "1250000",
    "--date",
    "2025-03-15",
    "--json",
    "--declaration",
];

#[test]
fn catalog_show_lists_the_seeded_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let out = cpe(dir.path(), &["catalog", "show", "--year", "2025", "--json"]);
    assert!(out.status.success());
    let v = json(&out);
    assert_eq!(v["effective_from"], "2024-03-12");
    assert_eq!(v["services"].as_array().unwrap().len(), 19);
    assert_eq!(v["services"][6]["items"][0]["min_sme_rate"], "0.20");
    let text = String::from_utf8(cpe(dir.path(), &["catalog", "show", "--year", "2025"]).stdout).unwrap();
    assert!(
        text.contains("не более 1\u{a0}000\u{a0}000,00\u{a0}₽ на 1 СМСП"),
        "{text}"
    );
    let out = cpe(dir.path(), &["catalog", "show", "--year", "2023"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("не действует ни одна версия каталога"));
}

#[test]
fn budget_set_and_show() {
    let dir = setup();
    let out = cpe(dir.path(), &["budget", "set", "--year", "2025", "--total", "20000000"]);
    assert!(out.status.success());
    let v = json(&cpe(dir.path(), &["budget", "show", "--year", "2025", "--json"]));
    assert_eq!(v["total"]["budget"], "20000000.00");
    assert_eq!(v["total"]["remaining"], "20000000.00");
    assert_eq!(v["lines"][0]["service_code"], "4.2");
    assert_eq!(v["lines"][0]["remaining"], "5000000.00");
    let out = cpe(
        dir.path(),
        &["budget", "set", "--year", "2025", "--service", "9.9", "--amount", "1"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("нет в каталоге"));
    let out = cpe(
        dir.path(),
        &[
            "budget",
            "set",
            "--year",
            "2025",
            "--service",
            "4.2",
            "--amount",
            "1,001",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn check_at_exactly_the_minimum_reports_only_unconfirmed_eligibility() {
    let dir = setup();
    let out = cpe(dir.path(), &[&CHECK_42[..], &["--sme-share", "250000"]].concat());
    assert_eq!(
        out.status.code(),
        Some(1),
        "eligibility is unknown until a check exists"
    );
    let v = json(&out);
    assert_eq!(v["signable"], false);
    assert_eq!(
        (
            v["min_sme_share"].as_str(),
            v["sme_share"].as_str(),
            v["centre_share"].as_str()
        ),
        (Some("250000.00"), Some("250000.00"), Some("1000000.00"))
    );
    assert_eq!(codes(&v), ["eligibility_unconfirmed"]);
    assert!(v["violations"][0]["source"].as_str().unwrap().contains("6.1.1"));
}

#[test]
fn check_one_kopeck_below_reports_the_minimum_in_roubles() {
    let dir = setup();
    let out = cpe(dir.path(), &[&CHECK_42[..], &["--sme-share", "249999.99"]].concat());
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(
        codes(&v),
        ["eligibility_unconfirmed", "sme_share_below_minimum", "cap_exceeded"]
    );
    assert!(v["violations"][1]["message"]
        .as_str()
        .unwrap()
        .contains("250\u{a0}000,00\u{a0}₽"));
    assert_eq!(v["violations"][1]["source"], "п. 4.2 разд. 3");
}

#[test]
fn check_text_output_shows_the_split_and_every_violation() {
    let dir = setup();
    let args = [
        "cofinancing",
        "check",
        "--inn",
        "7707083893",
        "--service",
        "4.3",
        "--cost",
        "100000",
        "--sme-share",
        "30000",
        "--fees",
        "40000",
        "--date",
        "2025-03-15",
    ];
    let out = cpe(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "Доля ЦПЭ: 110\u{a0}000,00\u{a0}₽",
        "пошлины за счёт ЦПЭ 40\u{a0}000,00",
        "[declaration_missing]",
        "[budget_exceeded]",
        "Подписывать нельзя",
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
}

#[test]
fn check_a_complex_service_by_items() {
    let dir = setup();
    let base = [
        "cofinancing",
        "check",
        "--inn",
        "7707083893",
        "--service",
        "5.2",
        "--date",
        "2025-03-15",
        "--json",
    ];
    let v = json(&cpe(
        dir.path(),
        &[
            &base[..],
            &["--item", "5.2.b1:100000:0", "--item", "5.2.a1:200000:40000"],
        ]
        .concat(),
    ));
    assert_eq!(codes(&v), ["eligibility_unconfirmed", "cap_exceeded"]);
    assert_eq!(v["centre_share"], "260000.00");
    // Разд. 3 in quantities and formats: 5.7's stand area and format, §5.5.4's selection.
    let exhibition = |extra: &[&str]| {
        let mut args = vec![
            "cofinancing",
            "check",
            "--inn",
            "7707083893",
            "--service",
            "5.7",
            "--date",
            "2025-03-15",
            "--json",
            "--item",
            "5.7.b1:10000:0",
            "--item",
            "5.7.b2:400000:0",
        ];
        args.extend_from_slice(extra);
        codes(&json(&cpe(dir.path(), &args)))
    };
    assert_eq!(
        exhibition(&[]),
        [
            "eligibility_unconfirmed",
            "item_terms_not_met",
            "format_missing",
            "budget_exceeded"
        ]
    );
    assert_eq!(
        exhibition(&["--quantity", "5.7.b2:area=9", "--format", "abroad_individual"]),
        ["eligibility_unconfirmed", "selection_missing", "budget_exceeded"]
    );
    assert_eq!(
        exhibition(&[
            "--quantity",
            "5.7.b2:area=9",
            "--format",
            "abroad_individual",
            "--selection",
            "Протокол № 3"
        ]),
        ["eligibility_unconfirmed", "budget_exceeded"]
    );
    let v = json(&cpe(dir.path(), &[&base[..], &["--item", "5.2.a3:1:0"]].concat()));
    assert_eq!(codes(&v), ["eligibility_unconfirmed", "base_item_missing"]);
    let out = cpe(dir.path(), &[&base[..], &["--cost", "1000"]].concat());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--item"));
}

#[test]
fn check_refuses_an_unknown_sme_and_bad_amounts() {
    let dir = setup();
    let mut args = CHECK_42.to_vec();
    args[3] = "500100732259";
    let out = cpe(dir.path(), &[&args[..], &["--sme-share", "250000"]].concat());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("нет в реестре"));
    assert!(out.stdout.is_empty());
    let out = cpe(dir.path(), &[&CHECK_42[..], &["--sme-share", "двести"]].concat());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--sme-share"));
}

/// Issue 18: the readings a centre may change, shown with their defaults and saved with checks.
#[test]
fn cofinancing_settings_show_the_defaults_and_save_a_carry_over_day() {
    let dir = tempfile::tempdir().unwrap();
    let text = String::from_utf8(cpe(dir.path(), &["cofinancing", "settings"]).stdout).unwrap();
    assert!(
        text.contains("подписанные до 01.04 следующего года (по 31.03 включительно)"),
        "{text}"
    );
    assert!(text.contains("П. 6.1.5: 3 услуги за 3 года"), "{text}");
    assert!(text.contains("считается: по каждой позиции каталога"), "{text}");
    let out = cpe(
        dir.path(),
        &[
            "cofinancing",
            "settings",
            "--carry-over",
            "1.7",
            "--warn-percent",
            "12,5",
            "--cap-scope",
            "kind",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!(
        (v["carry_over_day"].as_u64(), v["carry_over_month"].as_u64()),
        (Some(1), Some(7))
    );
    assert_eq!(v["low_budget_warning_share"], "0.125");
    assert_eq!(v["cap_scope"], "support_kind");
    let out = cpe(dir.path(), &["cofinancing", "settings", "--carry-over", "30.02"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("укажите день и месяц"));
    let v = json(&cpe(dir.path(), &["cofinancing", "settings", "--json"]));
    assert_eq!(v["carry_over_month"], 7, "the refused change left the saved one");
}
