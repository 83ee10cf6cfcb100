//! Backups against real files: the rotation rule on a year of copies, a restore round trip that gives back every row, refused copies that leave the database as it was.

use chrono::{Duration, NaiveDate};

use super::*;
use crate::agreement::fixture::{ctx, eligible_sme, open_file as open};

fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(9, 0, 0).unwrap()
}

fn file(kind: BackupKind, t: NaiveDateTime) -> BackupFile {
    BackupFile {
        path: String::new(),
        file_name: format!("{PREFIX}{}-{}{SUFFIX}", t.format("%Y-%m-%d_%H%M%S"), kind.slug()),
        kind,
        created_at: t,
        size: 0,
    }
}

#[test]
fn names_are_read_back_and_foreign_files_ignored() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "cpe-2026-12-02_091500-daily.sqlite3",
        "cpe-2026-12-02_091500-manual-2.sqlite3",
        "cpe-2026-12-02_091500-before-restore.sqlite3",
        "cpe-2026-12-02_091500-weird.sqlite3",
        "отчёт.sqlite3",
        "cpe-2026-12-02_091500-daily.partial",
    ] {
        std::fs::write(dir.path().join(name), b"x").unwrap();
    }
    let kinds: Vec<BackupKind> = list_in(dir.path()).unwrap().into_iter().map(|b| b.kind).collect();
    assert_eq!(kinds.len(), 3);
    assert!(kinds.contains(&BackupKind::Manual) && kinds.contains(&BackupKind::BeforeRestore));
}

#[test]
fn the_rotation_keeps_days_weeks_months_and_the_newest_of_each_other_kind() {
    // A copy every day of 2026, two a day in December, and 15 manual copies.
    let mut files = Vec::new();
    let mut t = at(2026, 1, 1);
    while t <= at(2026, 12, 31) {
        files.push(file(BackupKind::Daily, t));
        if t.month() == 12 {
            files.push(file(BackupKind::Daily, t + Duration::hours(5)));
        }
        t += Duration::days(1);
    }
    for i in 0..15 {
        files.push(file(BackupKind::Manual, at(2026, 6, 1) + Duration::hours(i)));
    }
    let cases = [
        // 25–31 December; the weeks of 14–20 and 7–13 December (the two newer weeks are within the
        // 7 days); the eleven months before December; 10 manual.
        (BackupSettings::default(), 7 + 2 + 11 + 10),
        (
            BackupSettings {
                daily: 1,
                weekly: 0,
                monthly: 0,
                other: 0,
                ..Default::default()
            },
            1,
        ),
        (
            BackupSettings {
                daily: 0,
                weekly: 0,
                monthly: 12,
                other: 2,
                ..Default::default()
            },
            12 + 2,
        ),
    ];
    for (s, expected) in cases {
        let kept = keep(&files, &s);
        assert_eq!(kept.len(), expected, "{s:?}");
        // The newest copy of all is always among the kept ones.
        assert!(
            kept.contains(&file(BackupKind::Daily, at(2026, 12, 31) + Duration::hours(5)).file_name) || s.daily == 0
        );
    }
    // Default: the last 7 days are the newest copy of each of 25–31 December.
    let kept = keep(&files, &BackupSettings::default());
    for day in 25..=31 {
        assert!(
            kept.contains(&file(BackupKind::Daily, at(2026, 12, day) + Duration::hours(5)).file_name),
            "{day}"
        );
        assert!(
            !kept.contains(&file(BackupKind::Daily, at(2026, 12, day)).file_name),
            "{day}: the older of the day"
        );
    }
    // Months: the newest copy of each month, e.g. 31 January.
    assert!(kept.contains(&file(BackupKind::Daily, at(2026, 1, 31)).file_name));
    assert!(!kept.contains(&file(BackupKind::Daily, at(2026, 1, 30)).file_name));
    assert_eq!(
        files
            .iter()
            .filter(|b| b.kind == BackupKind::Manual && kept.contains(&b.file_name))
            .count(),
        10
    );
}

fn everything(db: &Db) -> Vec<(String, Vec<String>)> {
    db.tables()
        .unwrap()
        .into_iter()
        .map(|t| (t.clone(), db.dump(&t).unwrap()))
        .collect()
}

#[test]
fn a_restore_gives_back_every_row_and_keeps_the_replaced_database() {
    let (dir, mut db) = open();
    eligible_sme(&mut db, "7707083893");
    let copy = create(&db, dir.path(), BackupKind::Manual, at(2026, 3, 3)).unwrap();
    assert_eq!(copy.kind, BackupKind::Manual);
    let saved = everything(&db);
    // A change after the copy, then the restore.
    eligible_sme(&mut db, "2721999992");
    assert_ne!(everything(&db), saved);
    let aside = restore(&mut db, &ctx("2026-03-04"), dir.path(), Path::new(&copy.path)).unwrap();
    assert_eq!(aside.kind, BackupKind::BeforeRestore);
    let restored = everything(&db);
    for ((table, rows), (_, want)) in restored.iter().zip(&saved) {
        if table == "audit_log" {
            // The restore itself is the one entry added.
            assert_eq!(rows.len(), want.len() + 1);
            assert_eq!(&rows[..want.len()], &want[..], "audit_log before the restore entry");
        } else {
            assert_eq!(rows, want, "{table}");
        }
    }
    let journal = crate::audit::list(&db, Some("database"), None, 5).unwrap();
    assert_eq!(journal.len(), 1);
    assert!(journal[0].after_json.as_deref().unwrap().contains(&copy.file_name));
    // The replaced database is in the folder and holds the second SME.
    let replaced = Connection::open(&aside.path).unwrap();
    let n: i64 = replaced
        .query_row("SELECT count(*) FROM sme", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
}

#[test]
fn a_file_that_is_not_a_good_copy_is_refused_and_nothing_changes() {
    let (dir, mut db) = open();
    eligible_sme(&mut db, "7707083893");
    let before = everything(&db);
    let junk = dir.path().join("не база.sqlite3");
    std::fs::write(&junk, b"SQLite format 3\0 but not really").unwrap();
    let newer = dir.path().join("новее.sqlite3");
    {
        let c = Connection::open(&newer).unwrap();
        c.execute_batch(
            "CREATE TABLE centre(id); CREATE TABLE sme(id); CREATE TABLE audit_log(id); PRAGMA user_version = 999;",
        )
        .unwrap();
    }
    let other = dir.path().join("чужая.sqlite3");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t(a); PRAGMA user_version = 3;")
        .unwrap();
    for (file, why) in [
        (&junk, "не база"),
        (&newer, "более новой версией"),
        (&other, "не база данных программы"),
    ] {
        let e = restore(&mut db, &ctx("2026-03-04"), dir.path(), file).unwrap_err();
        assert_eq!(e.code, ErrorCode::File);
        assert!(e.message.contains("Текущая база не изменена"), "{why}: {}", e.message);
    }
    assert_eq!(everything(&db), before);
    assert!(
        list(&db, dir.path()).unwrap().is_empty(),
        "no copy made for a refused restore"
    );
}

#[test]
fn one_daily_copy_a_day() {
    let (dir, db) = open();
    assert!(daily_if_due(&db, dir.path(), at(2026, 3, 3)).unwrap().is_some());
    assert!(daily_if_due(&db, dir.path(), at(2026, 3, 3) + Duration::hours(3))
        .unwrap()
        .is_none());
    assert!(daily_if_due(&db, dir.path(), at(2026, 3, 4)).unwrap().is_some());
    let files = list(&db, dir.path()).unwrap();
    assert_eq!(files.len(), 2);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0].path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "copies are private like the database");
    }
}

/// CI caught it: three programs starting in the same second all made «the» daily copy into one
/// temporary file, deleting it under each other («disk I/O error»). Now one makes it, the others go
/// on; copies made at once for other reasons get names of their own.
#[test]
fn programs_starting_at_once_make_one_daily_copy_and_no_error() {
    let (dir, db) = open();
    drop(db);
    let now = at(2026, 3, 3);
    let made: Vec<bool> = std::thread::scope(|s| {
        let runs: Vec<_> = (0..6)
            .map(|_| {
                s.spawn(|| {
                    let db = crate::db::open_in(dir.path()).unwrap();
                    daily_if_due(&db, dir.path(), now).unwrap().is_some()
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    assert_eq!(made.iter().filter(|m| **m).count(), 1, "{made:?}");
    let db = crate::db::open_in(dir.path()).unwrap();
    let manual: Vec<BackupFile> = std::thread::scope(|s| {
        let runs: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let db = crate::db::open_in(dir.path()).unwrap();
                    create(&db, dir.path(), BackupKind::Manual, now).unwrap()
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let names: BTreeSet<&str> = manual.iter().map(|b| b.file_name.as_str()).collect();
    assert_eq!(names.len(), 4, "{names:?}");
    let files = list(&db, dir.path()).unwrap();
    assert_eq!(files.len(), 5);
    let leftovers: Vec<String> = std::fs::read_dir(folder(&db, dir.path()).unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".partial") || n.starts_with(".cpe-write-test"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_unwritable_folder_is_named_in_the_message() {
    let (dir, mut db) = open();
    let blocker = dir.path().join("файл-а-не-папка");
    std::fs::write(&blocker, b"").unwrap();
    let s = BackupSettings {
        folder: blocker.join("копии").display().to_string(),
        ..Default::default()
    };
    let e = save_settings(&mut db, &ctx("2026-03-03"), dir.path(), &s).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("folder"));
    assert!(e.message.contains("нельзя записать"), "{}", e.message);
}

#[test]
fn a_damaged_database_is_replaced_by_a_copy_and_kept_aside() {
    let (dir, mut db) = open();
    eligible_sme(&mut db, "7707083893");
    let copy = create(&db, dir.path(), BackupKind::Manual, at(2026, 3, 3)).unwrap();
    drop(db);
    let file = dir.path().join(crate::db::DB_FILE);
    std::fs::write(&file, vec![0x55u8; 8192]).unwrap();
    assert!(crate::db::open_in(dir.path()).is_err(), "damaged");
    assert_eq!(list_default(dir.path()).unwrap().len(), 1);
    let aside = restore_over(dir.path(), Path::new(&copy.path), at(2026, 3, 4)).unwrap();
    assert_eq!(
        std::fs::read(&aside).unwrap(),
        vec![0x55u8; 8192],
        "the damaged file is kept"
    );
    let db = crate::db::open_in(dir.path()).unwrap();
    assert!(crate::sme::get_by_inn(&db, "7707083893").unwrap().is_some());
}
