//! End-to-end tests of `cpe calendar …` through the built binary against a database in a temp dir.

use std::path::Path;
use std::process::{Command, Output};

fn cpe(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cpe"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--actor", "Тестов"])
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

#[test]
fn add_working_days_prints_the_date_alone() {
    let dir = tempfile::tempdir().unwrap();
    let o = cpe(dir.path(), &["calendar", "add-working-days", "2025-12-26", "5"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "2026-01-14\n");
    let o = cpe(dir.path(), &["calendar", "add-working-days", "2025-03-14", "2"]);
    assert_eq!(stdout(&o), "2025-03-18\n");
}

#[test]
fn is_working_day_answers_yes_or_no() {
    let dir = tempfile::tempdir().unwrap();
    for (date, answer) in [
        ("2025-11-01", "yes"),
        ("2025-12-31", "no"),
        ("2026-01-09", "no"),
        ("2026-01-12", "yes"),
    ] {
        let o = cpe(dir.path(), &["calendar", "is-working-day", date]);
        assert!(o.status.success(), "{date}: {}", stderr(&o));
        assert_eq!(stdout(&o), format!("{answer}\n"), "{date}");
    }
}

#[test]
fn a_provisional_year_warns_on_stderr_only() {
    let dir = tempfile::tempdir().unwrap();
    let o = cpe(dir.path(), &["calendar", "is-working-day", "2027-05-10"]);
    assert_eq!(stdout(&o), "no\n");
    assert!(stderr(&o).contains("предварительный"), "{}", stderr(&o));
    let o = cpe(dir.path(), &["calendar", "is-working-day", "2026-05-12"]);
    assert_eq!(stderr(&o), "");
}

#[test]
fn a_missing_year_fails_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let o = cpe(dir.path(), &["calendar", "is-working-day", "2028-02-01"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains("нет производственного календаря на 2028 год"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_bad_date_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let o = cpe(dir.path(), &["calendar", "is-working-day", "26.12.2025"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("ГГГГ-ММ-ДД"), "{}", stderr(&o));
}

#[test]
fn import_then_use_the_year() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("calendar-2028.xml");
    std::fs::write(
        &file,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2028" lang="ru" date="2027.09.20" country="ru">
  <holidays><holiday id="1" title="Новогодние каникулы"/></holidays>
  <days>
    <day d="01.03" t="1" h="1"/>
    <day d="01.04" t="1" h="1"/>
    <day d="01.05" t="1" h="1"/>
    <day d="01.06" t="1" h="1"/>
    <day d="01.07" t="1" h="1"/>
    <day d="01.10" t="1" f="01.01"/>
    <day d="02.26" t="3"/>
  </days>
</calendar>"#,
    )
    .unwrap();
    let data = dir.path().join("data");
    let o = cpe(&data, &["calendar", "import", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2028"), "{}", stdout(&o));
    assert_eq!(
        stdout(&cpe(&data, &["calendar", "is-working-day", "2028-01-10"])),
        "no\n"
    );
    assert_eq!(
        stdout(&cpe(&data, &["calendar", "is-working-day", "2028-02-26"])),
        "yes\n"
    );
    assert_eq!(
        stdout(&cpe(&data, &["calendar", "add-working-days", "2027-12-31", "1"])),
        "2028-01-11\n"
    );

    let broken = dir.path().join("broken.xml");
    std::fs::write(
        &broken,
        "<calendar year=\"2028\"><days><day d=\"02.30\" t=\"1\"/></days></calendar>",
    )
    .unwrap();
    let o = cpe(&data, &["calendar", "import", broken.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("02.30"), "{}", stderr(&o));
    assert_eq!(
        stdout(&cpe(&data, &["calendar", "is-working-day", "2028-02-26"])),
        "yes\n",
        "the import before stays"
    );
}

#[test]
fn set_day_and_reset_day() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    assert_eq!(stdout(&cpe(p, &["calendar", "is-working-day", "2026-03-02"])), "yes\n");
    let o = cpe(
        p,
        &[
            "calendar",
            "set-day",
            "2026-03-02",
            "holiday",
            "--note",
            "региональный праздник",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&cpe(p, &["calendar", "is-working-day", "2026-03-02"])), "no\n");
    // The deadline moves past the new day off.
    assert_eq!(
        stdout(&cpe(p, &["calendar", "add-working-days", "2026-02-27", "1"])),
        "2026-03-03\n"
    );

    assert!(cpe(p, &["calendar", "set-day", "2026-03-07", "short"]).status.success());
    assert_eq!(stdout(&cpe(p, &["calendar", "is-working-day", "2026-03-07"])), "yes\n");
    assert!(cpe(p, &["calendar", "set-day", "2026-03-07", "working"])
        .status
        .success());
    assert_eq!(
        stdout(&cpe(
            p,
            &["calendar", "working-days-between", "2026-03-06", "2026-03-09"]
        )),
        "1\n"
    );

    assert!(cpe(p, &["calendar", "reset-day", "2026-03-02"]).status.success());
    assert_eq!(stdout(&cpe(p, &["calendar", "is-working-day", "2026-03-02"])), "yes\n");

    let o = cpe(p, &["calendar", "set-day", "2026-03-02", "sometimes"]);
    assert!(!o.status.success());
    let o = cpe(p, &["calendar", "years", "--json"]);
    let years: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(years.as_array().unwrap().len(), 4);
    assert_eq!(years[2]["edited_days"], 1, "2026 keeps the edit of 7 March");
    assert_eq!(years[3]["provisional"], true);
}
