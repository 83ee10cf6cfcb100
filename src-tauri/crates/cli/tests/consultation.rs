//! `cpe consultation …` end to end: a consultation of a business of the registry counts in KPI 1 of `cpe report yearly`, one with a person not yet registered does not; the same topic on the same day is pointed out; the journal lists both.

mod common;

use common::{fails, json, ok};

#[test]
fn consultations_are_recorded_listed_and_counted_in_kpi_1() {
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
            "--category",
            "small",
        ],
    );
    let first = json(&ok(
        d,
        &[
            "consultation",
            "add",
            "--inn",
            "7707083893",
            "--service",
            "1",
            "--date",
            "2025-04-10",
            "--topic",
            "Экспорт в Китай",
            "--minutes",
            "30",
            "--json",
        ],
    ));
    assert!(first["duplicate_of"].is_null());
    let again = ok(
        d,
        &[
            "consultation",
            "add",
            "--inn",
            "7707083893",
            "--service",
            "2",
            "--date",
            "2025-04-10",
            "--topic",
            "экспорт в китай",
        ],
    );
    assert!(again.contains("уже записана"), "{again}");
    ok(
        d,
        &[
            "consultation",
            "add",
            "--person",
            "Иванов И. И.",
            "--service",
            "3.1",
            "--date",
            "2025-04-11",
            "--topic",
            "Продукты РЭЦ",
            "--channel",
            "visit",
        ],
    );
    let e = fails(
        d,
        &[
            "consultation",
            "add",
            "--service",
            "4.2",
            "--topic",
            "x",
            "--person",
            "Пётр",
        ],
    );
    assert!(e.contains("строки 1, 2, 3.1 и 3.2"), "{e}");
    let list = json(&ok(d, &["consultation", "list", "--json"]));
    assert_eq!(list.as_array().map(Vec::len), Some(3));
    let report = json(&ok(d, &["report", "yearly", "--year", "2025", "--json"]));
    assert_eq!(report["kpis"]["smes_supported"], 1, "the SME once; not the person");
}
