//! The import under hostile or busy conditions: repeated INNs counted, a colleague's saves going through during a long import, leftovers of a dead import removed.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use super::*;
use crate::audit::Ctx;
use crate::db::{self, Db};
use crate::ident;

fn ctx() -> Ctx {
    Ctx::new(
        "Проверяющий",
        NaiveDate::from_ymd_opt(2025, 3, 1)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
    )
}

/// A registry file of `n` legal entities of region 27; record `i` has INN number `inn_of(i)`.
fn registry(path: &Path, n: u32, inn_of: impl Fn(u32) -> u32) {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Файл ВерсФорм=\"4.05\" КолДок=\"1\"><ИдОтпр><ФИООтв Фамилия=\"-\" Имя=\"-\"/></ИдОтпр>",
    );
    for i in 0..n {
        let inn = ident::complete_inn10(&format!("27{:07}", inn_of(i)));
        xml.push_str(&format!(
            "<Документ ИдДок=\"{i}\" ДатаСост=\"10.06.2025\" ДатаВклМСП=\"01.08.2016\" ВидСубМСП=\"1\" КатСубМСП=\"1\">\
             <ОргВклМСП НаимОрг=\"ООО &quot;ПРОБА-{i}&quot;\" ИННЮЛ=\"{inn}\"/><СведМН КодРегион=\"27\"/></Документ>"
        ));
    }
    xml.push_str("</Файл>");
    std::fs::write(path, xml).unwrap();
}

/// Issue 14: a repeated INN inside one snapshot was silently replaced; now the figures add up.
#[test]
fn repeated_inns_are_counted_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    let file = dir.path().join("дубли.xml");
    // 10 records, the last three repeating the first three INNs.
    registry(&file, 10, |i| if i >= 7 { i - 7 } else { i });
    let s = import(&mut conn, &ctx(), &[file], &[], &mut |_| {}, &AtomicBool::new(false)).unwrap();
    let snap = &s.snapshot;
    assert_eq!(
        (snap.records_seen, snap.records_imported, snap.records_duplicate),
        (10, 7, 3)
    );
    assert_eq!(
        snap.records_imported + snap.records_skipped + snap.records_duplicate,
        snap.records_seen
    );
    assert_eq!(s.duplicate_inns.len(), 3);
    assert_eq!(s.duplicate_inns[0], ident::complete_inn10("270000000"));
    // The later record is kept.
    let rec = find(&conn, snap.id, &s.duplicate_inns[0]).unwrap().unwrap();
    assert_eq!(rec.full_name, "ООО \"ПРОБА-7\"");
}

/// Issue 14: an import held the write lock for its whole length, so a colleague's save waited the
/// 10-second busy timeout and failed. Now every save made during an import goes through.
#[test]
fn a_colleagues_saves_go_through_during_a_long_import() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    let file = dir.path().join("большой.xml");
    registry(&file, 60_000, |i| i);
    let data = dir.path().to_owned();
    let started = AtomicBool::new(false);
    let (waits, imported) = std::thread::scope(|s| {
        let importer = s.spawn(|| {
            import(
                &mut conn,
                &ctx(),
                std::slice::from_ref(&file),
                &[],
                &mut |_| started.store(true, std::sync::atomic::Ordering::Relaxed),
                &AtomicBool::new(false),
            )
        });
        let mut other = db::open_in(&data).unwrap();
        while !started.load(std::sync::atomic::Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(5));
        }
        let mut waits = Vec::new();
        let mut n = 0;
        while !importer.is_finished() && n < 40 {
            let inn = ident::complete_inn10(&format!("77{:07}", 1000 + n));
            let t = Instant::now();
            crate::sme::add(
                &mut other,
                &ctx(),
                &crate::sme::SmeInput::new(crate::sme::SmeKind::LegalEntity, "ООО «Коллега»", &inn),
            )
            .expect("a save during the import goes through");
            waits.push(t.elapsed());
            n += 1;
            std::thread::sleep(Duration::from_millis(20));
        }
        (waits, importer.join().unwrap().unwrap())
    });
    assert_eq!(imported.snapshot.records_imported, 60_000);
    assert!(!waits.is_empty(), "the import ended before any save was tried");
    eprintln!(
        "saves during the import: {}, longest wait {:?}",
        waits.len(),
        waits.iter().max().unwrap()
    );
}

/// A hidden snapshot left by an import that died is removed by the next import; earlier visible
/// snapshots stay.
#[test]
fn leftovers_of_a_dead_import_are_removed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn: Db = db::open_in(dir.path()).unwrap();
    let file = dir.path().join("a.xml");
    registry(&file, 5, |i| i);
    let first = import(
        &mut conn,
        &ctx(),
        std::slice::from_ref(&file),
        &["27".into()],
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    // A dead import of yesterday: a hidden snapshot with records.
    conn.execute_batch(
        "INSERT INTO fns_snapshot (state_date, regions, source_files, format_version, records_seen, records_imported,
             records_skipped, imported_at, imported_by) VALUES ('~dead', '', '', '', 0, 0, 0, '2025-02-28T09:00:00', 'x');
         INSERT INTO fns_record (snapshot_id, inn, kind, category, full_name, region_code)
             SELECT (SELECT id FROM fns_snapshot WHERE state_date = '~dead'), inn, kind, category, full_name, region_code
             FROM fns_record;",
    )
    .unwrap();
    import(&mut conn, &ctx(), &[file], &[], &mut |_| {}, &AtomicBool::new(false)).unwrap();
    let hidden: i64 = conn
        .query_row(
            "SELECT count(*) FROM fns_snapshot WHERE state_date LIKE '~%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(hidden, 0);
    let records: i64 = conn
        .query_row("SELECT count(*) FROM fns_record", [], |r| r.get(0))
        .unwrap();
    assert_eq!(records, 10, "the two visible snapshots' records, none of the dead one");
    assert_eq!(list_snapshots(&conn).unwrap().len(), 2);
    assert!(list_snapshots(&conn).unwrap().contains(&first.snapshot));
}
