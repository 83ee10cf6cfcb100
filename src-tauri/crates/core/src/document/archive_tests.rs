//! The archive against a real database: the same record keeps its version, a changed record adds one and keeps the old, every write has its audit entry, scans are checked by content, and the acts registry follows the signed mark.

use super::archive::{self, ArchiveQuery, DocumentKind};
use crate::act::{self, ActInput, ActItemInput};
use crate::agreement::fixture::{approved_application, budget, ctx, d, day, eligible_sme, open, standalone};
use crate::db::Db;
use crate::{agreement, centre};

fn audit_entries(conn: &Db) -> i64 {
    conn.query_row(
        "SELECT count(*) FROM audit_log WHERE entity IN ('document', 'document_scan')",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn versions_scans_signatures_and_the_unsigned_acts() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    budget(&mut conn, "4.2", "5000000");
    let app = approved_application(&mut conn, sme, "4.2", &[]);
    let a = agreement::create(&mut conn, &ctx("2025-03-06"), &standalone(sme, Some(app))).unwrap();
    agreement::sign(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).unwrap();
    let x = act::add(
        &mut conn,
        &ctx("2025-04-01"),
        &ActInput {
            agreement_id: a.id,
            stage_id: None,
            number: String::new(),
            date: day("2025-04-01"),
            items: vec![ActItemInput {
                item_code: "4.2".into(),
                amount: d("500000"),
            }],
        },
    )
    .unwrap();

    let first = archive::generate(&mut conn, &ctx("2025-04-01"), DocumentKind::Act, x.id).unwrap();
    assert_eq!(first.version, 1);
    assert_eq!(first.number, "1 к соглашению № 1/2025-С");
    let pdf = archive::pdf(&conn, first.id).unwrap();
    assert_eq!(archive::sha256_hex(&pdf), first.sha256);
    // A day later nothing changed: the same version, no new row, no audit entry.
    let again = archive::generate(&mut conn, &ctx("2025-04-02"), DocumentKind::Act, x.id).unwrap();
    assert_eq!(again, first);
    assert_eq!(audit_entries(&conn), 1);
    // The centre's name changed: a new version, the old one stays.
    centre::set_field(&mut conn, &ctx("2025-04-03"), "short_name", "АНО «ЦПЭ»").unwrap();
    let second = archive::generate(&mut conn, &ctx("2025-04-03"), DocumentKind::Act, x.id).unwrap();
    assert_eq!(second.version, 2);
    assert_ne!(second.sha256, first.sha256);
    let all = archive::list(
        &conn,
        &ArchiveQuery {
            kind: Some(DocumentKind::Act),
            source_id: Some(x.id),
            unsigned_only: false,
        },
    )
    .unwrap();
    assert_eq!(all.iter().map(|d| d.version).collect::<Vec<_>>(), [2, 1]);

    let registry = archive::act_registry(&conn, true).unwrap();
    assert_eq!(registry.len(), 1);
    assert_eq!(registry[0].document_id, Some(second.id));
    assert_eq!(registry[0].amount, d("500000"));

    let err = archive::attach_scan(&mut conn, &ctx("2025-04-05"), second.id, "акт.docx", b"PK\x03\x04").unwrap_err();
    assert_eq!(err.field.as_deref(), Some("scan"));
    let scanned =
        archive::attach_scan(&mut conn, &ctx("2025-04-05"), second.id, "акт.jpg", b"\xFF\xD8\xFF\xE0").unwrap();
    assert_eq!(scanned.scan_name.as_deref(), Some("акт.jpg"));
    assert_eq!(
        archive::scan(&conn, second.id).unwrap(),
        Some(("акт.jpg".into(), b"\xFF\xD8\xFF\xE0".to_vec()))
    );
    let err = archive::mark_signed(&mut conn, &ctx("2025-04-05"), second.id, day("2025-04-06")).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("signed_on"));
    archive::mark_signed(&mut conn, &ctx("2025-04-05"), second.id, day("2025-04-05")).unwrap();
    assert!(archive::mark_signed(&mut conn, &ctx("2025-04-06"), second.id, day("2025-04-05")).is_err());
    assert!(archive::act_registry(&conn, true).unwrap().is_empty());
    assert!(archive::act_registry(&conn, false).unwrap()[0].document_signed);
    assert_eq!(audit_entries(&conn), 4);

    // Issue 14: a scan attached after signing is a new version; the first is kept, and each
    // scan's sha256 is in its journal entry.
    let rescan = b"%PDF-1.4 second scan".to_vec();
    let after = archive::attach_scan(&mut conn, &ctx("2025-04-07"), second.id, "акт-2.pdf", &rescan).unwrap();
    assert_eq!((after.scan_count, after.scan_name.as_deref()), (2, Some("акт-2.pdf")));
    let kept = archive::scans(&conn, second.id).unwrap();
    assert_eq!(
        kept.iter()
            .map(|s| (s.version, s.file_name.as_str()))
            .collect::<Vec<_>>(),
        [(1, "акт.jpg"), (2, "акт-2.pdf")]
    );
    assert_eq!(
        archive::scan_version(&conn, kept[0].id).unwrap().1,
        b"\xFF\xD8\xFF\xE0".to_vec()
    );
    assert_eq!(kept[1].sha256, archive::sha256_hex(&rescan));
    let journal = crate::audit::list(&conn, Some("document_scan"), None, 10).unwrap();
    assert_eq!(journal.len(), 2);
    for (entry, scan) in journal.iter().rev().zip(&kept) {
        assert!(entry.after_json.as_deref().unwrap().contains(&scan.sha256), "{entry:?}");
    }
}

/// Scans attached before the versions existed move into them, with their hash.
#[test]
fn scans_attached_before_the_upgrade_are_kept_as_version_one() {
    let dir = tempfile::tempdir().unwrap();
    let old = crate::db::create_as_of(&dir.path().join(crate::db::DB_FILE), "0012_export_contract_search");
    old.execute(
        "INSERT INTO document (kind, source_id, number, date, title, version, sha256, content_sha256, pdf, created_by,
             created_at, scan, scan_name, scan_type)
         VALUES ('extract', 1, '7707083893', '2025-03-06', 'Выписка', 1, 'x', 'x', X'25504446', 'Тест',
             '2025-03-06T10:00:00', ?1, 'старый.png', 'png')",
        [b"\x89PNG\r\n\x1a\n".to_vec()],
    )
    .unwrap();
    drop(old);
    let conn = crate::db::open_in(dir.path()).unwrap();
    let kept = archive::scans(&conn, 1).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].sha256, archive::sha256_hex(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(archive::get(&conn, 1).unwrap().scan_name.as_deref(), Some("старый.png"));
    assert_eq!(
        archive::scan(&conn, 1).unwrap().unwrap().1,
        b"\x89PNG\r\n\x1a\n".to_vec()
    );
}

#[test]
fn a_refusal_needs_a_refused_application() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let app = approved_application(&mut conn, sme, "4.2", &[]);
    let err = archive::generate(&mut conn, &ctx("2025-03-06"), DocumentKind::Refusal, app).unwrap_err();
    assert!(err.message.contains("отказом ЦПЭ"), "{}", err.message);
    let empty = archive::acts_batch(&mut conn, &ctx("2025-03-06"), day("2025-01-01"), day("2025-12-31")).unwrap_err();
    assert!(empty.message.contains("актов нет"), "{}", empty.message);
    assert_eq!(audit_entries(&conn), 0, "nothing archived for an empty period");
}

/// The acts of a period in one PDF are archived too: the same acts keep the version, a changed
/// act adds one, another period counts its own versions; a batch is never marked signed itself.
#[test]
fn acts_of_a_period_are_archived_with_versions() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    budget(&mut conn, "4.2", "5000000");
    let app = approved_application(&mut conn, sme, "4.2", &[]);
    let a = agreement::create(&mut conn, &ctx("2025-03-06"), &standalone(sme, Some(app))).unwrap();
    agreement::sign(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).unwrap();
    let act_on = |conn: &mut Db, date: &str, amount: &str| {
        act::add(
            conn,
            &ctx(date),
            &ActInput {
                agreement_id: a.id,
                stage_id: None,
                number: String::new(),
                date: day(date),
                items: vec![ActItemInput {
                    item_code: "4.2".into(),
                    amount: d(amount),
                }],
            },
        )
        .unwrap()
    };
    act_on(&mut conn, "2025-04-01", "100000");
    let (from, to) = (day("2025-04-01"), day("2025-04-30"));
    let (n, first) = archive::acts_batch(&mut conn, &ctx("2025-05-01"), from, to).unwrap();
    assert_eq!(
        (n, first.kind, first.version, first.source_id),
        (1, DocumentKind::ActsBatch, 1, 0)
    );
    assert_eq!(first.number, "01.04.2025–30.04.2025");
    assert!(archive::pdf(&conn, first.id).unwrap().starts_with(b"%PDF-"));
    let (_, same) = archive::acts_batch(&mut conn, &ctx("2025-05-02"), from, to).unwrap();
    assert_eq!(same.id, first.id, "nothing changed: the same version");

    act_on(&mut conn, "2025-04-20", "50000");
    let (n, second) = archive::acts_batch(&mut conn, &ctx("2025-05-03"), from, to).unwrap();
    assert_eq!((n, second.version), (2, 2));
    let (_, other) = archive::acts_batch(&mut conn, &ctx("2025-05-03"), day("2025-04-15"), to).unwrap();
    assert_eq!(other.version, 1, "another period has its own versions");

    let batches = archive::list(
        &conn,
        &ArchiveQuery {
            kind: Some(DocumentKind::ActsBatch),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(batches.len(), 3);
    let err = archive::mark_signed(&mut conn, &ctx("2025-05-04"), second.id, day("2025-05-04")).unwrap_err();
    assert!(err.message.contains("каждый отдельно"), "{}", err.message);
    assert!(archive::attach_scan(&mut conn, &ctx("2025-05-04"), second.id, "скан.pdf", b"%PDF-1.4").is_err());
    // Only the records' kind is generated from one record.
    assert!(archive::generate(&mut conn, &ctx("2025-05-04"), DocumentKind::ActsBatch, 1).is_err());
}
