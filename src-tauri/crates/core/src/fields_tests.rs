//! Issue 14: names accepted NUL, right-to-left overrides and terminal escape codes (through CSV import). Every form refuses them with the field named, and nothing is saved.

use crate::agreement::fixture::{ctx, eligible_sme, open};
use crate::db::Db;
use crate::error::ErrorCode;

const BAD: [&str; 3] = ["ООО\u{0}Ромашка", "\u{1b}[31mООО Ромашка", "ООО «Ромашка\u{202e}»"];

fn rows(db: &Db) -> i64 {
    let mut n = 0;
    for t in db.tables().unwrap() {
        if t != "setting" && t != "catalog_version" && t != "centre" {
            n += db
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get::<_, i64>(0))
                .unwrap();
        }
    }
    n
}

fn refused<T>(field: &str, outcome: crate::Result<T>, db: &Db, before: i64) {
    let e = outcome.err().unwrap_or_else(|| panic!("{field}: saved"));
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Validation, Some(field)),
        "{}",
        e.message
    );
    assert!(e.message.contains("U+"), "{}", e.message);
    assert_eq!(rows(db), before, "{field}: nothing saved");
}

#[test]
fn every_form_refuses_control_and_direction_characters() {
    let (_dir, mut db) = open();
    let sme_id = eligible_sme(&mut db, "7707083893");
    let c = ctx("2025-03-03");
    for bad in BAD {
        let before = rows(&db);
        let mut s = crate::sme::SmeInput::new(crate::sme::SmeKind::LegalEntity, bad, "2721999992");
        refused("full_name", crate::sme::add(&mut db, &c, &s), &db, before);
        s.full_name = "ООО «Лес»".into();
        s.contact_person = bad.into();
        refused("contact_person", crate::sme::add(&mut db, &c, &s), &db, before);

        let contractor = crate::contractor::ContractorInput {
            kind: crate::contractor::ContractorKind::Organisation,
            name: bad.into(),
            inn: "7707083893".into(),
            accredited_rec: false,
            contact_person: String::new(),
            phone: String::new(),
            email: String::new(),
            group_declaration_on: None,
            notes: String::new(),
        };
        refused("name", crate::contractor::add(&mut db, &c, &contractor), &db, before);

        let mut centre = crate::centre::get(&db).unwrap();
        centre.full_name = bad.into();
        refused("full_name", crate::centre::save(&mut db, &c, &centre), &db, before);

        let staff = crate::staff::StaffInput::new(bad, "", "", crate::staff::Role::Specialist);
        refused("full_name", crate::staff::add(&mut db, &c, &staff, None), &db, before);

        let app = crate::application::ApplicationInput {
            sme_id,
            service_code: "4.2".into(),
            item_codes: vec![],
            received_on: c.now.date(),
            channel: crate::application::Channel::Email,
            responsible_staff_id: None,
            comment: format!("пояснение {bad}"),
        };
        refused("comment", crate::application::add(&mut db, &c, &app), &db, before);
    }
}

#[test]
fn the_table_import_reports_the_row_and_saves_nothing_of_it() {
    let (_dir, mut db) = open();
    let csv = "Наименование;ИНН\nООО «Ромашка\u{202e}»;7707083893\nООО «Лес»;2721999992\n";
    let table = crate::sme::import_table::read_csv_bytes(csv.as_bytes()).unwrap();
    let mapping = crate::sme::import_table::propose_mapping(&table.headers);
    let report = crate::sme::import_table::save(&mut db, &ctx("2025-03-03"), &table, &mapping).unwrap();
    assert_eq!((report.saved, report.invalid), (1, 1));
    assert_eq!(report.errors[0].row, 2);
    assert!(
        report.errors[0].message.contains("U+202E"),
        "{}",
        report.errors[0].message
    );
    assert!(crate::sme::get_by_inn(&db, "7707083893").unwrap().is_none());
}
