//! Tests of the journal's read side: names, labels, filters, search, paging, the export and an older journal through the rebuild.

use super::*;
use crate::agreement::fixture::{ctx, day, eligible_sme, open};
use crate::audit::Ctx;

fn all(conn: &Db, q: &JournalQuery) -> JournalPage {
    page(conn, q, 0, 100).unwrap()
}

#[test]
fn an_inspector_reads_who_changed_what_by_name_with_russian_labels() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let mut s = crate::sme::get(&conn, sme).unwrap();
    s.input.full_name = "ООО «Ромашка-Экспорт»".into();
    s.input.phone = "+7 4212 55-00-00".into();
    let ivanov = Ctx::new("Иванов И. И.", day("2025-04-10").and_hms_opt(15, 30, 0).unwrap());
    crate::sme::update(&mut conn, &ivanov, sme, &s.input).unwrap();

    let log = all(&conn, &JournalQuery::default());
    assert!(log.total_exact);
    assert_eq!(log.total as usize, log.rows.len());
    let newest = &log.rows[0];
    assert_eq!(
        (newest.actor.as_str(), newest.action_label.as_str()),
        ("Иванов И. И.", "изменение")
    );
    assert_eq!(newest.entity_label, "СМСП");
    assert_eq!(
        newest.record_name, "ООО «Ромашка-Экспорт»",
        "the record's name as it is now"
    );
    let name = newest.changes.iter().find(|c| c.field == "full_name").unwrap();
    assert_eq!(
        (name.label.as_str(), name.before.as_str(), name.after.as_str()),
        ("Полное наименование", "ООО «Ромашка»", "ООО «Ромашка-Экспорт»")
    );
    assert!(newest.changes.iter().any(|c| c.field == "phone" && c.before == "—"));

    // Filters: who, kind, action, period, one record.
    let by = |q: JournalQuery| all(&conn, &q).rows.into_iter().map(|e| e.id).collect::<Vec<_>>();
    assert_eq!(
        by(JournalQuery {
            actor: Some("Иванов И. И.".into()),
            ..Default::default()
        }),
        vec![newest.id]
    );
    assert_eq!(
        by(JournalQuery {
            action: Some("update".into()),
            ..Default::default()
        }),
        vec![newest.id]
    );
    assert_eq!(
        by(JournalQuery {
            from: Some(day("2025-04-10")),
            to: Some(day("2025-04-10")),
            ..Default::default()
        }),
        vec![newest.id]
    );
    assert!(
        by(JournalQuery {
            to: Some(day("2025-04-09")),
            ..Default::default()
        })
        .len()
            >= 2
    );
    let history = by(JournalQuery {
        entity: Some("sme".into()),
        entity_id: Some(sme.to_string()),
        ..Default::default()
    });
    assert_eq!(history.len(), 2, "created, then renamed");
    assert_eq!(
        all(
            &conn,
            &JournalQuery {
                entity: Some("agreement".into()),
                ..Default::default()
            }
        )
        .total,
        0
    );
}

#[test]
fn search_finds_russian_words_in_any_case_and_literally() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let find = |conn: &Db, w: &str| {
        all(
            conn,
            &JournalQuery {
                search: Some(w.into()),
                ..Default::default()
            },
        )
        .total
    };
    // The creation holds the name; the eligibility check is found through the business's name.
    assert!(find(&conn, "РОМАШКА") >= 1);
    assert_eq!(find(&conn, "ромашка"), find(&conn, "РОМАШКА"));
    assert!(find(&conn, "петрова") >= 2, "by who");
    assert_eq!(find(&conn, "100%"), 0, "% is a character, not a wildcard");
    assert_eq!(find(&conn, "Ромаш_а"), 0, "_ is a character, not any letter");
    let _ = sme;
}

#[test]
fn a_deleted_record_keeps_the_name_its_entry_holds_and_nested_fields_are_labelled() {
    let (_dir, mut conn) = open();
    let tx = conn.write_unchecked().unwrap();
    let c = ctx("2025-05-05");
    let gone = serde_json::json!({"name": "ООО «Было»", "items": [{"cost": "100.00"}]});
    crate::audit::record(
        &tx,
        &c,
        "contractor",
        999,
        crate::audit::AuditAction::Delete,
        Some(&gone),
        None,
    )
    .unwrap();
    let b = serde_json::json!({"items": [{"cost": "100.00"}]});
    let a = serde_json::json!({"items": [{"cost": "120.00"}]});
    crate::audit::record(
        &tx,
        &c,
        "agreement",
        998,
        crate::audit::AuditAction::Update,
        Some(&b),
        Some(&a),
    )
    .unwrap();
    tx.commit().unwrap();
    let log = all(&conn, &JournalQuery::default());
    assert_eq!(log.rows[1].record_name, "ООО «Было»");
    assert_eq!(log.rows[1].action_label, "удаление");
    assert_eq!(log.rows[0].record_name, "Соглашение 998", "nothing better known");
    let cost = &log.rows[0].changes[0];
    assert_eq!(
        (cost.field.as_str(), cost.before.as_str(), cost.after.as_str()),
        ("items.0.cost", "100.00", "120.00")
    );
    assert!(cost.label.ends_with("1 → Стоимость"), "{}", cost.label);
}

#[test]
fn the_export_has_a_row_per_changed_field_and_reads_back() {
    use calamine::{open_workbook_auto, Data, Reader};
    let (dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let mut s = crate::sme::get(&conn, sme).unwrap();
    s.input.full_name = "=HYPERLINK(\"http://x\")".into();
    crate::sme::update(&mut conn, &ctx("2025-04-01"), sme, &s.input).unwrap();
    let path = dir.path().join("журнал.xlsx");
    let q = JournalQuery {
        action: Some("update".into()),
        ..Default::default()
    };
    assert_eq!(export_xlsx(&conn, &q, &path).unwrap(), 1);
    let mut book = open_workbook_auto(&path).unwrap();
    let sheet = book.worksheet_range("Журнал изменений").unwrap();
    let cell = |r: u32, c: u32| match sheet.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    };
    assert_eq!(cell(0, 4), "Запись");
    assert_eq!(
        (cell(1, 1).as_str(), cell(1, 2).as_str(), cell(1, 5).as_str()),
        ("Петрова А. С.", "изменение", "Полное наименование")
    );
    assert_eq!(cell(1, 6), "ООО «Ромашка»");
    assert!(cell(1, 7).contains("HYPERLINK"), "written as text, not a formula");
}

/// Migration 0017 rebuilt the log to allow print and export entries: the entries of an older
/// database keep their ids and values, and what leaves the program is recorded with its details.
#[test]
fn an_older_journal_is_kept_and_prints_and_exports_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(crate::db::DB_FILE);
    {
        let old = crate::db::create_as_of(&path, "0016_journal_indexes");
        old.execute_batch(
            "INSERT INTO audit_log (id, at, actor, entity, entity_id, action, after_json)
             VALUES (7, '2025-01-10T09:00:00', 'Петрова А. С.', 'staff', '3', 'create', '{\"full_name\": \"Сидорова\"}')",
        )
        .unwrap();
    }
    let mut conn = crate::db::open(&path).unwrap();
    let c = ctx("2025-06-01");
    crate::audit::record_output(
        &mut conn,
        &c,
        "document",
        55,
        crate::audit::AuditAction::Print,
        &serde_json::json!({"printer": "HP LaserJet", "copies": 2}),
    )
    .unwrap();
    let log = all(&conn, &JournalQuery::default());
    assert_eq!(log.rows.last().unwrap().id, 7);
    assert_eq!(log.rows.last().unwrap().record_name, "Сидорова");
    let printed = &log.rows[0];
    assert_eq!(
        (printed.action.as_str(), printed.action_label.as_str()),
        ("print", "печать")
    );
    let got: Vec<(&str, &str)> = printed
        .changes
        .iter()
        .map(|f| (f.label.as_str(), f.after.as_str()))
        .collect();
    assert_eq!(got, vec![("Копий", "2"), ("Принтер", "HP LaserJet")]);
    assert_eq!(
        all(
            &conn,
            &JournalQuery {
                action: Some("print".into()),
                ..Default::default()
            }
        )
        .total,
        1
    );
}

#[test]
fn a_long_journal_is_counted_up_to_the_limit_and_paged() {
    let (_dir, mut conn) = open();
    let tx = conn.write_unchecked().unwrap();
    tx.execute_batch(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {})
         INSERT INTO audit_log (at, actor, entity, entity_id, action, after_json)
         SELECT '2025-01-01T10:00:00', 'Робот', 'sme', i, 'create', '{{\"full_name\": \"ООО\"}}' FROM n",
        COUNT_LIMIT + 10
    ))
    .unwrap();
    tx.commit().unwrap();
    let p = page(&conn, &JournalQuery::default(), 50_000, 20).unwrap();
    assert_eq!((p.total, p.total_exact, p.rows.len()), (COUNT_LIMIT, false, 20));
    assert!(p.rows.windows(2).all(|w| w[0].id > w[1].id), "newest first");
}

#[test]
fn a_signing_reads_as_signing_and_a_login_as_a_login() {
    let (_dir, mut conn) = open();
    let c = ctx("2025-03-06");
    let tx = conn.write_unchecked().unwrap();
    let before = serde_json::json!({"status": "draft", "signed_on": null});
    let after = serde_json::json!({"status": "signed", "signed_on": "2025-03-06"});
    crate::audit::record(
        &tx,
        &c,
        "agreement",
        1,
        crate::audit::AuditAction::Update,
        Some(&before),
        Some(&after),
    )
    .unwrap();
    let login = serde_json::json!({"login": "petrova"});
    crate::audit::record::<serde_json::Value>(
        &tx,
        &c,
        "staff",
        1,
        crate::audit::AuditAction::Login,
        None,
        Some(&login),
    )
    .unwrap();
    tx.commit().unwrap();
    let page = all(&conn, &JournalQuery::default());
    let labels: Vec<&str> = page.rows.iter().map(|e| e.action_label.as_str()).collect();
    assert_eq!(labels, ["вход в программу", "подписание"]);
    // Codes and stamps read as words and dates.
    let sme = crate::sme::SmeInput::new(crate::sme::SmeKind::LegalEntity, "ООО «Слова»", "7707083893");
    let id = crate::sme::add(&mut conn, &c, &sme).unwrap().id;
    let q = JournalQuery {
        entity: Some("sme".into()),
        entity_id: Some(id.to_string()),
        ..Default::default()
    };
    let entry = &all(&conn, &q).rows[0];
    let value = |label: &str| entry.changes.iter().find(|f| f.label == label).map(|f| f.after.clone());
    assert_eq!(value("Опыт экспорта").as_deref(), Some("нет опыта экспорта"));
    assert_eq!(value("Создано").as_deref(), Some("06.03.2025 10:00"));
}
