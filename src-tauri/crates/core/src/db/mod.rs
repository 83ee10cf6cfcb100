//! Opening the centre's database — the SQLite file by default (where it lives, per-connection pragmas, numbered migrations with a backup and a version guard, online backup and integrity check), or the centre's PostgreSQL server (`server`).

pub mod choice;
mod conn;
mod files;
mod memo;
mod postgres;
pub(crate) mod roles;
pub mod server;
/// For the tests of every crate (`test-cluster` feature of their dev-dependency on the core).
#[cfg(any(test, feature = "test-cluster"))]
pub mod test_cluster;
pub mod transfer;
mod value;

pub use conn::{ColumnIndex, Db, Engine, Row, Tx};
pub use value::{FromSql, Params, ToSql, Value, ValueRef};

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::OpenFlags;
pub use rusqlite::{Connection, Transaction};

use crate::error::{CoreError, ErrorCode, Result};

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "cpe.sqlite3";

/// Migrations embedded in the binary, in order. The schema version of a database is the number
/// of migrations applied to it (`PRAGMA user_version`). Never edit a landed migration: add one.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("../../migrations/0001_init.sql")),
    (
        "0002_registry_eligibility",
        include_str!("../../migrations/0002_registry_eligibility.sql"),
    ),
    (
        "0003_catalog_budget",
        include_str!("../../migrations/0003_catalog_budget.sql"),
    ),
    ("0004_calendar", include_str!("../../migrations/0004_calendar.sql")),
    ("0005_sme_search", include_str!("../../migrations/0005_sme_search.sql")),
    ("0006_workflow", include_str!("../../migrations/0006_workflow.sql")),
    ("0007_documents", include_str!("../../migrations/0007_documents.sql")),
    ("0008_export", include_str!("../../migrations/0008_export.sql")),
    (
        "0009_export_reminders",
        include_str!("../../migrations/0009_export_reminders.sql"),
    ),
    (
        "0010_acts_batch_archive",
        include_str!("../../migrations/0010_acts_batch_archive.sql"),
    ),
    (
        "0011_usage_indexes",
        include_str!("../../migrations/0011_usage_indexes.sql"),
    ),
    (
        "0012_export_contract_search",
        include_str!("../../migrations/0012_export_contract_search.sql"),
    ),
    (
        "0013_document_scans",
        include_str!("../../migrations/0013_document_scans.sql"),
    ),
    (
        "0014_export_contract_cancel",
        include_str!("../../migrations/0014_export_contract_cancel.sql"),
    ),
    (
        "0015_fns_duplicates",
        include_str!("../../migrations/0015_fns_duplicates.sql"),
    ),
    (
        "0016_journal_indexes",
        include_str!("../../migrations/0016_journal_indexes.sql"),
    ),
    (
        "0017_audit_outputs",
        include_str!("../../migrations/0017_audit_outputs.sql"),
    ),
    ("0018_accounts", include_str!("../../migrations/0018_accounts.sql")),
    (
        "0019_personal_data",
        include_str!("../../migrations/0019_personal_data.sql"),
    ),
    (
        "0020_head_decision",
        include_str!("../../migrations/0020_head_decision.sql"),
    ),
    (
        "0021_kpi_targets",
        include_str!("../../migrations/0021_kpi_targets.sql"),
    ),
    (
        "0022_catalog_full_names",
        include_str!("../../migrations/0022_catalog_full_names.sql"),
    ),
    (
        "0023_act_budget_year",
        include_str!("../../migrations/0023_act_budget_year.sql"),
    ),
    (
        "0024_catalog_support_kinds",
        include_str!("../../migrations/0024_catalog_support_kinds.sql"),
    ),
    (
        "0025_group_declaration",
        include_str!("../../migrations/0025_group_declaration.sql"),
    ),
    (
        "0026_item_quantities",
        include_str!("../../migrations/0026_item_quantities.sql"),
    ),
    (
        "0027_payment_deadline_source",
        include_str!("../../migrations/0027_payment_deadline_source.sql"),
    ),
    (
        "0028_service_formats",
        include_str!("../../migrations/0028_service_formats.sql"),
    ),
    (
        "0029_consultation",
        include_str!("../../migrations/0029_consultation.sql"),
    ),
    ("0030_event", include_str!("../../migrations/0030_event.sql")),
    ("0031_selection", include_str!("../../migrations/0031_selection.sql")),
    (
        "0032_audit_login",
        include_str!("../../migrations/0032_audit_login.sql"),
    ),
    ("0033_act_spent", include_str!("../../migrations/0033_act_spent.sql")),
    (
        "0034_sme_search_key",
        include_str!("../../migrations/0034_sme_search_key.sql"),
    ),
    (
        "0035_server_accounts",
        include_str!("../../migrations/0035_server_accounts.sql"),
    ),
    (
        "0036_server_account_journal",
        include_str!("../../migrations/0036_server_account_journal.sql"),
    ),
];

/// What a migration needs that SQL cannot do, run in the same transaction right after it.
fn after_migration(tx: &Db, name: &str) -> Result<()> {
    match name {
        // Folding Cyrillic for search (see `search::fold`).
        "0012_export_contract_search" => {
            crate::export_contract::refold_search_text(tx)?;
            crate::foreign_buyer::refold_search_text(tx)
        }
        "0013_document_scans" => crate::document::archive::hash_moved_scans(tx),
        "0022_catalog_full_names" => crate::catalog::restore_full_names(tx),
        "0024_catalog_support_kinds" | "0026_item_quantities" | "0028_service_formats" => {
            crate::catalog::fill_seed_annotations(tx)
        }
        // The SME search's key for pg_trgm: the server's search index only.
        "0034_sme_search_key" if tx.engine() == Engine::Postgres => {
            tx.execute_batch(include_str!("../../migrations/server/0034_sme_search_key.sql"))
        }
        // The heads' logins give back CREATEROLE: accounts change through `cpe_sync_login`.
        "0035_server_accounts" if tx.engine() == Engine::Postgres => {
            tx.execute_batch(include_str!("../../migrations/server/0035_server_accounts.sql"))
        }
        _ => Ok(()),
    }
}

/// The schema version this build of the app writes.
pub fn schema_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// The OS data directory of the app. Debug builds use a separate one so that development and
/// tests never touch a centre's real data.
pub fn default_data_dir() -> Result<PathBuf> {
    let app = if cfg!(debug_assertions) {
        "cpe-desktop-dev"
    } else {
        "cpe-desktop"
    };
    directories::ProjectDirs::from("ru", "CPE", app)
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| {
            CoreError::storage("Не удалось определить папку данных пользователя; укажите её параметром --data-dir")
        })
}

/// Opens (creating if needed) the database in `data_dir` and brings its schema up to date.
pub fn open_in(data_dir: &Path) -> Result<Db> {
    let own = default_data_dir().is_ok_and(|d| d == data_dir);
    files::prepare_dir(data_dir, own)?;
    open(&data_dir.join(DB_FILE))
}

/// Opens the database file at `path`, refusing a database written by a newer app before
/// anything is written to it, and migrating an older one after a backup copy.
pub fn open(path: &Path) -> Result<Db> {
    let existed = path.exists();
    if existed {
        // Read the version through a read-only connection so a refused file stays byte-for-byte
        // as it was: not even WAL mode or a -wal file is created for it.
        let ro = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        let found: u32 = ro.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        drop(ro);
        if found > schema_version() {
            return Err(CoreError::new(
                ErrorCode::DatabaseTooNew,
                format!(
                    "База данных {} создана более новой версией программы (версия схемы {found}, эта программа знает до {}). \
                     Файл не изменён. Обновите программу.",
                    path.display(),
                    schema_version()
                ),
            ));
        }
        if found < schema_version() && found > 0 {
            backup_before_migration(path)?;
        }
    }
    files::prepare_db_file(path)?;
    let conn = Connection::open(path)?;
    configure(&conn)?;
    let mut db = Db::from_sqlite(conn);
    migrate(&mut db)?;
    Ok(db)
}

/// Pragmas every connection needs: WAL for readers alongside a writer, enforced foreign keys,
/// and a busy timeout so two windows or two app instances wait instead of failing.
/// `synchronous=FULL`: a change shown as saved survives a power cut (with NORMAL, WAL mode may lose
/// the last commits). Measured (release, 1 000 SME saves): 0,35 ms each with NORMAL, 0,48 ms with
/// FULL — nothing a person notices, so every write pays it rather than only some. The statement
/// cache holds the statements of one whole workflow step (the default 16 evicted each other); the
/// page cache is 32 MB instead of SQLite's 2 MB, so the indexes of ten years of work stay in memory.
pub fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.set_prepared_statement_cache_capacity(64);
    conn.pragma_update(None, "cache_size", -32_768)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // The planner does not look at bound values (query planner stability guarantee). Without it
    // SQLite re-prepares a cached statement each time a parameter the planner looked at gets a new
    // value — it does for `id = ?1` on tables with partial indexes (agreement, act): a quarter of
    // the CPU of filling the demo data went to re-preparing `agreement::get` and its kin. Our
    // LIKE patterns start with `%`, so no plan needs the value.
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    // fold(text): lower case for every alphabet and ё = е (SQLite's lower() knows only ASCII), for
    // searches that cannot use a stored `search_text` (the journal's values). The server mode
    // defines the same function in PostgreSQL.
    conn.create_scalar_function(
        "fold",
        1,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8 | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
        |c| Ok(c.get::<Option<String>>(0)?.map(|s| crate::search::fold(&s))),
    )?;
    Ok(())
}

/// A copy of the database as it was, into the backup folder, before its schema is upgraded.
fn backup_before_migration(path: &Path) -> Result<()> {
    let src = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let data_dir = path.parent().unwrap_or(Path::new("."));
    crate::backup::before_migration(&src, data_dir, chrono::Local::now().naive_local())
}

/// Brings a connection's schema up to date (after a restore of an older copy into it).
pub(crate) fn upgrade(conn: &mut Db) -> Result<()> {
    migrate(conn)
}

fn migrate(conn: &mut Db) -> Result<()> {
    let tx = conn.exclusive()?;
    let found: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, (name, sql)) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql).map_err(|e| {
            CoreError::storage(format!(
                "Не удалось обновить базу данных (шаг {name}): {}. База не изменена.",
                e.message
            ))
        })?;
        after_migration(&tx, name)?;
        tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
    }
    crate::catalog::seed_if_empty(&tx)?;
    tx.commit()?;
    Ok(())
}

/// A database file with the schema as it was after migration `name` (for tests of the later
/// steps: rows are written into it with plain SQL of that time, then it is opened as usual).
#[cfg(test)]
pub(crate) fn create_as_of(path: &Path, name: &str) -> Connection {
    let upto = MIGRATIONS
        .iter()
        .position(|(n, _)| *n == name)
        .expect("a migration of this name")
        + 1;
    let mut db = Db::from_sqlite(Connection::open(path).unwrap());
    let tx = db.exclusive().unwrap();
    for (name, sql) in &MIGRATIONS[..upto] {
        tx.execute_batch(sql).unwrap();
        after_migration(&tx, name).unwrap();
    }
    tx.execute_batch(&format!("PRAGMA user_version = {upto}")).unwrap();
    tx.commit().unwrap();
    drop(db);
    Connection::open(path).unwrap()
}

/// A consistent copy of the live database in a new file (safe while the app runs).
pub fn backup(conn: &Db, dest: &Path) -> Result<()> {
    match conn.sqlite() {
        Some(c) => backup_connection(c, dest),
        None => Err(CoreError::storage(crate::backup::SERVER_COPIES)),
    }
}

/// A consistent copy of a live database through SQLite's online backup (safe while the app runs).
pub fn backup_connection(conn: &Connection, dest: &Path) -> Result<()> {
    if dest.exists() {
        return Err(CoreError::new(
            ErrorCode::File,
            format!("Файл {} уже существует; укажите другое имя", dest.display()),
        ));
    }
    copy_into(conn, dest)
}

/// The online backup of `conn` into `dest`, a new or empty file (claimed by the caller).
pub(crate) fn copy_into(conn: &Connection, dest: &Path) -> Result<()> {
    files::prepare_db_file(dest)?;
    let mut out = Connection::open(dest)?;
    let backup = rusqlite::backup::Backup::new(conn, &mut out)?;
    backup.run_to_completion(256, Duration::from_millis(0), None)?;
    Ok(())
}

/// `PRAGMA integrity_check` and `foreign_key_check` on the file, and on both engines what the
/// program itself keeps twice: a signed act's service and centre share (migration 0033, the
/// budget's spent is read from them) against its agreement and items. The problems found, empty
/// when healthy.
pub fn check(conn: &Db) -> Result<Vec<String>> {
    let mut problems = acts_apart(conn)?;
    if conn.engine() == Engine::Postgres {
        // The server checks its pages and enforces every foreign key on each change itself.
        return Ok(problems);
    }
    for row in conn.query_map("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))? {
        if row != "ok" {
            problems.push(format!("Целостность: {row}"));
        }
    }
    let rows = conn.query_map("PRAGMA foreign_key_check", [], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
    })?;
    for (table, rowid, parent) in rows {
        problems.push(format!(
            "Ссылка из {table} (строка {rowid}) на отсутствующую запись в {parent}"
        ));
    }
    Ok(problems)
}

/// Signed acts whose stored service or centre share disagree with their agreement and items.
fn acts_apart(conn: &Db) -> Result<Vec<String>> {
    let sql = format!(
        "SELECT a.id, a.number, g.number FROM act a JOIN agreement g ON g.id = a.agreement_id
         WHERE a.budget_year IS NOT NULL AND (a.service_code IS DISTINCT FROM g.service_code
            OR a.centre_kopecks IS DISTINCT FROM (SELECT {} FROM act_item ai WHERE ai.act_id = a.id))
         ORDER BY a.id",
        crate::money::sql_sum_kopecks("ai.centre_share")
    );
    conn.query_map(&sql, [], |r| {
        let (id, act, agreement): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        Ok(format!(
            "Акт № {act} по соглашению № {agreement} (код {id}): сохранённые услуга или доля центра \
             не совпадают с соглашением и строками акта — расход сметы по нему считается неверно"
        ))
    })
}

/// The core's own source files and their code before the first `#[cfg(test)]` (test modules may
/// set up data as they like): what the source-scanning tests of the write path read.
#[cfg(test)]
pub(crate) fn source_code() -> Vec<(std::path::PathBuf, String)> {
    let mut files = Vec::new();
    let mut stack = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".rs") || name == "tests.rs" || name.ends_with("_tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default().to_owned();
            files.push((path, code));
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open_in(dir.path()).unwrap();
        let v: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, schema_version());
        let fk: i64 = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        drop(conn);
        open_in(dir.path()).unwrap();
        assert!(check(&open_in(dir.path()).unwrap()).unwrap().is_empty());
    }

    #[test]
    fn refuses_a_newer_database_and_leaves_it_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch("CREATE TABLE x(a); PRAGMA user_version = 999;")
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = open(&path).unwrap_err();
        assert_eq!(err.code, ErrorCode::DatabaseTooNew);
        assert!(err.message.contains("более новой версией"));
        assert_eq!(std::fs::read(&path).unwrap(), before);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no -wal/-shm/backup files: {names:?}");
    }

    #[test]
    fn backs_up_before_migrating_an_older_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        {
            let mut c = Connection::open(&path).unwrap();
            let tx = c.transaction().unwrap();
            tx.execute_batch(MIGRATIONS[0].1).unwrap();
            tx.pragma_update(None, "user_version", 1).unwrap();
            tx.commit().unwrap();
        }
        let db = open(&path).unwrap();
        // Into the backup folder (rotated with the other copies), no longer beside the file.
        let copies = crate::backup::list(&db, dir.path()).unwrap();
        assert_eq!(copies.len(), 1);
        assert_eq!(copies[0].kind, crate::backup::BackupKind::BeforeMigration);
        let old = Connection::open(&copies[0].path).unwrap();
        let v: u32 = old.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, 1, "the copy is the database as it was before the upgrade");
    }

    /// No write path of the core opens a transaction other than through [`write`]: a deferred
    /// `transaction()` fails under a concurrent writer instead of waiting (see `write`), and
    /// `write` checks the role's right — only a login and an import's batches may skip it.
    #[test]
    fn every_write_path_begins_immediate() {
        let mut offenders = Vec::new();
        for (path, code) in source_code() {
            if path.parent().is_some_and(|p| p.ends_with("db")) {
                continue;
            }
            for (n, line) in code.lines().enumerate() {
                let bad = [
                    ".transaction()",
                    ".transaction_with_behavior(",
                    ".unchecked_transaction(",
                    "BEGIN",
                ];
                if bad.iter().any(|b| line.contains(b)) && !line.trim_start().starts_with("//") {
                    offenders.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
                // A write without a right is for a login's bookkeeping and an import's
                // batches after the import itself was checked; nothing else.
                let unchecked_ok = ["staff/login.rs", "fns_registry/store.rs", "fns_registry/import.rs"];
                if line.contains("write_unchecked(") && !unchecked_ok.iter().any(|f| path.ends_with(f)) {
                    offenders.push(format!(
                        "{}:{}: {} (name the right: Db::write)",
                        path.display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "begin write transactions with Db::write:\n{}",
            offenders.join("\n")
        );
    }

    /// A change that reads before it writes waits for a colleague's write instead of failing.
    #[test]
    fn a_write_waits_for_another_connection_instead_of_failing() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = open_in(dir.path()).unwrap();
        let mut b = open_in(dir.path()).unwrap();
        a.execute_batch("CREATE TABLE t (n INTEGER)").unwrap();
        let tx = a.write_unchecked().unwrap();
        tx.execute("INSERT INTO t VALUES (1)", []).unwrap();
        let waiter = std::thread::spawn(move || {
            let tx = b.write_unchecked().unwrap();
            let n: i64 = tx.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0)).unwrap();
            tx.execute("INSERT INTO t VALUES (?1)", [n + 1]).unwrap();
            tx.commit().unwrap();
        });
        std::thread::sleep(Duration::from_millis(300));
        tx.commit().unwrap();
        waiter.join().unwrap();
        let rows: Vec<i64> = a.query_map("SELECT n FROM t ORDER BY n", [], |r| r.get(0)).unwrap();
        assert_eq!(rows, [1, 2], "the second writer read after the first committed");
    }

    #[test]
    fn online_backup_copies_the_data() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open_in(dir.path()).unwrap();
        let dest = dir.path().join("copy.sqlite3");
        backup_connection(conn.sqlite().unwrap(), &dest).unwrap();
        let copy = Connection::open(&dest).unwrap();
        let v: u32 = copy.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, schema_version());
        assert_eq!(
            backup_connection(conn.sqlite().unwrap(), &dest).unwrap_err().code,
            ErrorCode::File
        );
    }
}
