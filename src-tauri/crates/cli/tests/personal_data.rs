//! `cpe sme pd`: a person's record without consent says so; a request to stop processing is recorded, and with no service in the last three years the data is erased from the card and the list.

mod common;

use common::*;

#[test]
fn a_request_to_stop_processing_is_recorded_and_the_data_erased() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let inn = cpe_core::ident::complete_inn12("5001007322");
    ok(
        d,
        &[
            "sme",
            "add",
            "--kind",
            "ip",
            "--inn",
            &inn,
            "--name",
            "ИП Петров Пётр Петрович",
        ],
    );
    let said = ok(d, &["sme", "pd", "1"]);
    assert!(said.contains("Согласия на обработку персональных данных нет"), "{said}");
    let e = fails(d, &["sme", "pd", "1", "--erase"]);
    assert!(e.contains("сначала запишите его запрос"), "{e}");
    let e = fails(d, &["sme", "pd", "1", "--withdraw", "01.13.2026"]);
    assert!(e.contains("ГГГГ-ММ-ДД"), "{e}");
    ok(d, &["sme", "pd", "1", "--withdraw", "2026-01-15"]);
    let v: serde_json::Value = serde_json::from_str(&ok(d, &["sme", "pd", "1", "--erase", "--json"])).unwrap();
    assert!(v["erased_on"].is_string(), "{v}");
    let list = ok(d, &["sme", "list"]);
    assert!(
        list.contains("Субъект персональных данных № 1") && !list.contains("Петров"),
        "{list}"
    );
}
