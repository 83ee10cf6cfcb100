//! Tests of the registry import against the real fixture archives, with expected figures counted independently from the XML text.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;

use super::*;
use crate::audit::Ctx;
use crate::db::{self, Db};
use crate::error::ErrorCode;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/fixtures/fns-sme-registry")
        .join(name)
}

const Y2019: &str = "rsmp-sample-2019-02-10-v4.01.zip";
const Y2023: &str = "rsmp-sample-2023-05-10-v4.04.zip";

fn ctx() -> Ctx {
    Ctx::new(
        "Проверяющий",
        NaiveDate::from_ymd_opt(2025, 3, 1)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
    )
}

fn setup() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let conn = db::open_in(dir.path()).unwrap();
    (dir, conn)
}

/// The XML texts of an archive, read with the zip crate alone (not with the code under test).
fn xml_texts(archive: &str) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(fixture(archive)).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut s = String::new();
            zip.by_index(i).unwrap().read_to_string(&mut s).unwrap();
            s
        })
        .collect()
}

/// The `Документ` elements of the texts, as plain substrings.
fn documents(texts: &[String]) -> Vec<&str> {
    texts.iter().flat_map(|t| t.split("<Документ ").skip(1)).collect()
}

/// The value of the first `name="…"` in a piece of text.
fn attr<'a>(doc: &'a str, name: &str) -> Option<&'a str> {
    let start = doc.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&doc[start..start + doc[start..].find('"')?])
}

fn expected_regions(texts: &[String]) -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    for doc in documents(texts) {
        *counts.entry(attr(doc, "КодРегион").unwrap().to_owned()).or_insert(0) += 1;
    }
    counts
}

fn import_quiet(conn: &mut Db, files: &[&str], regions: &[&str]) -> crate::Result<ImportSummary> {
    let paths: Vec<PathBuf> = files.iter().map(|f| fixture(f)).collect();
    let regions: Vec<String> = regions.iter().map(|r| r.to_string()).collect();
    import(conn, &ctx(), &paths, &regions, &mut |_| {}, &AtomicBool::new(false))
}

#[test]
fn both_archives_import_with_the_counts_per_region_the_files_hold() {
    let (_dir, mut conn) = setup();
    for (archive, date, version) in [(Y2019, (2019, 2, 10), "4.01"), (Y2023, (2023, 5, 10), "4.04")] {
        let texts = xml_texts(archive);
        let expected = expected_regions(&texts);
        let total: i64 = expected.values().sum();
        let mut reports = Vec::new();
        let paths = vec![fixture(archive)];
        let summary = import(
            &mut conn,
            &ctx(),
            &paths,
            &[],
            &mut |p| reports.push(p.clone()),
            &AtomicBool::new(false),
        )
        .unwrap();
        let s = &summary.snapshot;
        assert_eq!(s.state_date, NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap());
        assert_eq!(s.format_version, version);
        assert_eq!(s.records_seen, documents(&texts).len() as i64);
        assert_eq!(
            (s.records_imported, s.records_skipped),
            (total, 0),
            "{:?}",
            summary.skipped_examples
        );
        assert_eq!(s.source_files.len(), texts.len());
        assert!(
            s.source_files[0].starts_with(&format!("{archive}: VO_RRMSPSV_")),
            "{:?}",
            s.source_files
        );
        assert!(s.regions.is_empty());
        let stored: BTreeMap<String, i64> = region_counts(&conn, s.id).unwrap().into_iter().collect();
        assert_eq!(stored, expected);

        let last = reports.last().unwrap();
        let xml_bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
        assert_eq!((last.files_done, last.files_total), (3, 3));
        assert_eq!((last.bytes_read, last.bytes_total), (xml_bytes, xml_bytes));
        assert_eq!(last.records_imported, total as u64);
        assert!(
            reports.windows(2).all(|w| w[0].bytes_read <= w[1].bytes_read),
            "progress never goes back"
        );
    }
    assert_eq!(list_snapshots(&conn).unwrap().len(), 2);
    assert_eq!(
        newest_snapshot(&conn).unwrap().unwrap().state_date.to_string(),
        "2023-05-10"
    );
}

#[test]
fn region_59_of_2019_gives_exactly_the_documents_of_region_59() {
    let (_dir, mut conn) = setup();
    let texts = xml_texts(Y2019);
    let expected: BTreeSet<String> = documents(&texts)
        .into_iter()
        .filter(|d| attr(d, "КодРегион") == Some("59"))
        .map(|d| attr(d, "ИННЮЛ").or_else(|| attr(d, "ИННФЛ")).unwrap().to_owned())
        .collect();
    assert!(expected.len() > 800, "the sample has 851 documents of region 59");
    let summary = import_quiet(&mut conn, &[Y2019], &["59"]).unwrap();
    assert_eq!(summary.snapshot.regions, vec!["59".to_owned()]);
    assert_eq!(summary.snapshot.records_imported, expected.len() as i64);
    let stored: BTreeSet<String> = conn
        .query_map(
            "SELECT inn FROM fns_record WHERE snapshot_id = ?1 AND region_code = '59'",
            [summary.snapshot.id],
            |r| r.get(0),
        )
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(stored, expected);
    assert_eq!(
        region_counts(&conn, summary.snapshot.id).unwrap(),
        vec![("59".to_owned(), expected.len() as i64)]
    );
}

#[test]
fn reimport_of_the_same_snapshot_replaces_it() {
    let (_dir, mut conn) = setup();
    let first = import_quiet(&mut conn, &[Y2019], &["59", "52"]).unwrap();
    assert!(!first.replaced);
    // The same regions in another order and with a repeat are the same snapshot.
    let second = import_quiet(&mut conn, &[Y2019], &["52", "59", "59"]).unwrap();
    assert!(second.replaced);
    let snaps = list_snapshots(&conn).unwrap();
    assert_eq!(snaps.len(), 1);
    assert_eq!(snaps[0].id, second.snapshot.id);
    let rows: i64 = conn
        .query_row("SELECT COUNT(*) FROM fns_record", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, first.snapshot.records_imported);
    assert_eq!(second.snapshot.records_imported, first.snapshot.records_imported);
    // Other regions of the same date make another snapshot; the first stays.
    import_quiet(&mut conn, &[Y2019], &["89"]).unwrap();
    assert_eq!(list_snapshots(&conn).unwrap().len(), 2);
    delete_snapshot(&mut conn, &ctx(), second.snapshot.id).unwrap();
    assert_eq!(list_snapshots(&conn).unwrap().len(), 1);
    assert_eq!(
        snapshot(&conn, second.snapshot.id).unwrap_err().code,
        ErrorCode::NotFound
    );
}

#[test]
fn a_cancelled_import_leaves_the_previous_snapshots_untouched() {
    let (_dir, mut conn) = setup();
    let before = import_quiet(&mut conn, &[Y2019], &["59"]).unwrap().snapshot;
    let cancel = AtomicBool::new(false);
    let mut calls = 0;
    let paths = vec![fixture(Y2019)];
    let err = import(
        &mut conn,
        &ctx(),
        &paths,
        &["59".to_owned()],
        &mut |p| {
            calls += 1;
            if p.records_seen > 0 {
                cancel.store(true, Ordering::Relaxed);
            }
        },
        &cancel,
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    assert!(calls >= 1);
    assert_eq!(list_snapshots(&conn).unwrap(), vec![before.clone()]);
    let rows: i64 = conn
        .query_row("SELECT COUNT(*) FROM fns_record", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, before.records_imported);
}

#[test]
fn a_malformed_file_is_named_and_nothing_is_saved() {
    let (dir, mut conn) = setup();
    let before = import_quiet(&mut conn, &[Y2023], &[]).unwrap().snapshot;
    let text = &xml_texts(Y2019)[0];
    let broken = dir.path().join("обрезанный.xml");
    let cut = text
        .char_indices()
        .map(|(i, _)| i)
        .find(|&i| i >= text.len() / 2)
        .unwrap();
    std::fs::write(&broken, &text[..cut]).unwrap();
    let mangled = dir.path().join("испорченный.xml");
    std::fs::write(&mangled, text.replacen("</СвОКВЭД>", "</СвОКВЭ>", 1)).unwrap();
    for path in [broken, mangled] {
        let err = import(
            &mut conn,
            &ctx(),
            std::slice::from_ref(&path),
            &[],
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::File);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            err.message
                .starts_with(&format!("Файл {name}: ошибка в XML около байта ")),
            "{}",
            err.message
        );
        assert!(err.message.contains("(строка 1)"), "{}", err.message);
    }
    assert_eq!(list_snapshots(&conn).unwrap(), vec![before]);
}

#[test]
fn files_of_different_dates_are_refused() {
    let (_dir, mut conn) = setup();
    let err = import_quiet(&mut conn, &[Y2019, Y2023], &[]).unwrap_err();
    assert!(
        err.message.contains("разным датам") && err.message.contains("10.05.2023"),
        "{}",
        err.message
    );
    assert!(list_snapshots(&conn).unwrap().is_empty());
    let err = import_quiet(&mut conn, &[Y2019], &["7"]).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("regions"));
}

#[test]
fn bare_xml_imports_like_the_archive_and_bad_records_are_skipped() {
    let (dir, mut conn) = setup();
    let text = xml_texts(Y2023).remove(0);
    let docs = documents(std::slice::from_ref(&text)).len() as i64;
    let inn = attr(documents(std::slice::from_ref(&text))[0], "ИННФЛ")
        .unwrap()
        .to_owned();
    let mut wrong = inn.clone();
    let last = wrong.pop().unwrap();
    wrong.push(if last == '0' { '1' } else { '0' });
    let path = dir.path().join("one.xml");
    std::fs::write(&path, text.replacen(&inn, &wrong, 1)).unwrap();
    let s = import(&mut conn, &ctx(), &[path], &[], &mut |_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!((s.snapshot.records_seen, s.snapshot.records_skipped), (docs, 1));
    assert_eq!(s.snapshot.records_imported, docs - 1);
    assert!(
        s.skipped_examples[0].contains("контрольная сумма"),
        "{:?}",
        s.skipped_examples
    );
    assert_eq!(s.snapshot.source_files, vec!["one.xml".to_owned()]);
}

#[test]
fn lookups_and_a_registry_record_becomes_a_valid_sme() {
    let (_dir, mut conn) = setup();
    import_quiet(&mut conn, &[Y2019], &[]).unwrap();
    let newest = import_quiet(&mut conn, &[Y2023], &[]).unwrap().snapshot;
    let texts = xml_texts(Y2019);
    let ul = documents(&texts)
        .into_iter()
        .find(|d| attr(d, "ИННЮЛ").is_some())
        .unwrap();
    let (snap, rec) = newest_holding(&conn, attr(ul, "ИННЮЛ").unwrap()).unwrap().unwrap();
    assert_eq!(snap.state_date.to_string(), "2019-02-10");
    assert_eq!(rec.kind, crate::sme::SmeKind::LegalEntity);
    let t23 = xml_texts(Y2023);
    let ip = attr(documents(&t23)[0], "ИННФЛ").unwrap();
    assert_eq!(newest_holding(&conn, ip).unwrap().unwrap().0.id, newest.id);
    assert!(newest_holding(&conn, "7707083893").unwrap().is_none());

    for rec in [rec, find(&conn, newest.id, ip).unwrap().unwrap()] {
        let input = to_sme_input(&rec);
        let sme = crate::sme::add(&mut conn, &ctx(), &input).unwrap();
        assert_eq!(
            (sme.input.inn.as_str(), sme.input.region_code.as_str()),
            (rec.inn.as_str(), rec.region_code.as_str())
        );
        assert_eq!(sme.input.category, Some(rec.category));
    }
}

#[test]
fn lookup_prefills_an_sme_and_names_the_existing_one() {
    let (_dir, mut conn) = setup();
    let snap = import_quiet(&mut conn, &[Y2019], &[]).unwrap().snapshot;
    let texts = xml_texts(Y2019);
    let inn = attr(
        documents(&texts)
            .into_iter()
            .find(|d| attr(d, "ИННЮЛ").is_some())
            .unwrap(),
        "ИННЮЛ",
    )
    .unwrap()
    .to_owned();
    assert!(lookup(&conn, snap.id, "7707083893").unwrap().is_none());
    assert_eq!(
        lookup(&conn, snap.id + 100, &inn).unwrap_err().code,
        ErrorCode::NotFound
    );
    let found = lookup(&conn, snap.id, &format!(" {inn} ")).unwrap().unwrap();
    assert_eq!(found.record.inn, inn);
    assert_eq!(found.sme_input.inn, inn);
    assert_eq!(found.existing_sme_id, None);
    let sme = crate::sme::add(&mut conn, &ctx(), &found.sme_input).unwrap();
    assert_eq!(
        lookup(&conn, snap.id, &inn).unwrap().unwrap().existing_sme_id,
        Some(sme.id)
    );
}
