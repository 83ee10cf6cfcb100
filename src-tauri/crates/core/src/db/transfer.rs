//! Moving a centre between the engines: every table of one database copied into an empty one of the other (the local file to the server — `cpe server import-local` — and the server to a new file — `cpe server export-local`), exactly: every row and value, archived PDFs and scans byte for byte, the journal; counted per table and compared afterwards.

use std::collections::{BTreeMap, BTreeSet};

use super::{Db, Engine, Value};
use crate::error::{CoreError, Result};

/// Tables a new database already holds rows of (one-row settings, the seeded catalog): replaced
/// by the copied ones. Any other row makes the target «not empty».
const SEEDED: [&str; 5] = [
    "centre",
    "setting",
    "cofinancing_settings",
    "session_settings",
    "catalog_version",
];

/// Rows copied into one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub table: String,
    pub rows: u64,
}

/// The program's tables with the tables each refers to.
fn references(db: &Db) -> Result<BTreeMap<String, BTreeSet<String>>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = db
        .tables()?
        .into_iter()
        .filter(|t| t != "cpe_schema")
        .map(|t| (t, BTreeSet::new()))
        .collect();
    let sql = match db.engine() {
        Engine::Sqlite => {
            "SELECT m.name, f.\"table\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table'"
        }
        // The system catalog, not information_schema: its views show a table's constraints to
        // the table's owner only, and a copy is made by a staff member's login too.
        Engine::Postgres => {
            "SELECT t.relname::text, p.relname::text
             FROM pg_constraint c
             JOIN pg_class t ON t.oid = c.conrelid
             JOIN pg_class p ON p.oid = c.confrelid
             JOIN pg_namespace n ON n.oid = t.relnamespace
             WHERE c.contype = 'f' AND n.nspname = current_schema()"
        }
    };
    for (table, parent) in db.query_map(sql, [], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        if let Some(set) = out.get_mut(&table) {
            if parent != table {
                set.insert(parent);
            }
        }
    }
    Ok(out)
}

/// Tables in an order where each comes after those it refers to.
fn ordered(refs: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    fn visit(t: &str, refs: &BTreeMap<String, BTreeSet<String>>, done: &mut BTreeSet<String>, out: &mut Vec<String>) {
        if !done.insert(t.to_owned()) {
            return;
        }
        for p in refs.get(t).into_iter().flatten() {
            visit(p, refs, done, out);
        }
        out.push(t.to_owned());
    }
    let (mut done, mut out) = (BTreeSet::new(), Vec::new());
    for t in refs.keys() {
        visit(t, refs, &mut done, &mut out);
    }
    out
}

fn count(db: &Db, table: &str) -> Result<u64> {
    let n: i64 = db.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

/// Copies every table of `from` into `to`, which must have the same schema version and no data
/// of its own; in one transaction of `to` — all or nothing — and checked: the row count of each
/// table must come out the same. `progress` hears each table as it starts.
pub fn copy_all(from: &Db, to: &mut Db, progress: &mut dyn FnMut(&str)) -> Result<Vec<Copied>> {
    let refs = references(from)?;
    let theirs: BTreeSet<String> = to.tables()?.into_iter().filter(|t| t != "cpe_schema").collect();
    let ours: BTreeSet<String> = refs.keys().cloned().collect();
    if theirs != ours {
        return Err(CoreError::storage(
            "Схемы баз различаются: обновите обе до версии этой программы и повторите",
        ));
    }
    for t in &ours {
        if !SEEDED.contains(&t.as_str()) && count(to, t)? > 0 {
            return Err(CoreError::storage(format!(
                "База, в которую копируются данные, не пуста (таблица {t}): укажите новую пустую базу"
            )));
        }
    }
    let order = ordered(&refs);
    let tx = to.write_unchecked()?;
    for t in order.iter().rev() {
        tx.execute(&format!("DELETE FROM {t}"), [])?;
    }
    let mut copied = Vec::new();
    for t in &order {
        progress(t);
        let cols = from.columns(t)?;
        let target_cols = tx.columns(t)?;
        let cols: Vec<String> = cols.into_iter().filter(|c| target_cols.contains(c)).collect();
        let list = cols.join(", ");
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let insert = format!("INSERT INTO {t} ({list}) VALUES ({})", marks.join(", "));
        let mut rows = 0u64;
        let mut failed = None;
        from.for_each(&format!("SELECT {list} FROM {t} ORDER BY 1"), [], |r| {
            let values: Vec<Value> = (0..cols.len()).map(|i| r.get::<_, Value>(i)).collect::<Result<_>>()?;
            if let Err(e) = tx.execute(&insert, &values[..]) {
                failed = Some(e);
                return Ok(false);
            }
            rows += 1;
            Ok(true)
        })?;
        if let Some(e) = failed {
            return Err(CoreError::storage(format!(
                "Таблица {t}, строка {}: {}. Ничего не скопировано.",
                rows + 1,
                e.message.trim_end_matches('.')
            )));
        }
        if count(&tx, t)? != rows || count(from, t)? != rows {
            return Err(CoreError::storage(format!(
                "Таблица {t}: число строк после копирования не сходится. Ничего не скопировано."
            )));
        }
        if tx.engine() == Engine::Postgres && cols.iter().any(|c| c == "id") {
            // The next id continues after the copied ones.
            let identity: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                   AND table_name = ?1 AND column_name = 'id' AND is_identity = 'YES')",
                [t.as_str()],
                |r| r.get(0),
            )?;
            if identity {
                tx.execute(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence('{t}', 'id'), coalesce(max(id), 0) + 1, false) FROM {t}"
                    ),
                    [],
                )?;
            }
        }
        copied.push(Copied { table: t.clone(), rows });
    }
    if tx.engine() == Engine::Sqlite {
        // Passwords the server kept are not in the copy: the file asks for its head's first setup
        // (on the staff row of the same name, history kept), as a database from before accounts.
        tx.execute(
            "UPDATE staff SET password_hash = NULL, must_change_password = 0 WHERE password_hash = ?1",
            [crate::staff::password::ON_SERVER],
        )?;
    }
    tx.commit()?;
    Ok(copied)
}

/// Writes the data of `from` (the centre's server) into a new local database file `out`, as of
/// one moment (a read-only snapshot, whatever colleagues commit meanwhile): `cpe backup` and
/// `cpe server export-local` on the server. Refuses an existing file; a failed copy leaves none.
pub fn to_new_file(from: &mut Db, out: &std::path::Path, progress: &mut dyn FnMut(&str)) -> Result<Vec<Copied>> {
    if out.exists() {
        return Err(CoreError::new(
            crate::error::ErrorCode::File,
            format!("Файл {} уже существует: укажите новый", out.display()),
        ));
    }
    let copied = (|| {
        let mut file = super::open(out)?;
        let snapshot = from.snapshot()?;
        copy_all(&snapshot, &mut file, progress)
    })();
    if copied.is_err() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", out.display()));
        }
    }
    copied
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::fixture::{budget, ctx, day, eligible_sme, open_file, standalone};
    use crate::document::archive::{self, DocumentKind};

    /// Every table as text: the same on both engines when the copy is exact.
    fn content(db: &Db) -> BTreeMap<String, Vec<String>> {
        let mut tables = db.tables().unwrap();
        tables.retain(|t| t != "cpe_schema");
        tables.into_iter().map(|t| (t.clone(), db.dump(&t).unwrap())).collect()
    }

    #[test]
    fn a_centre_moves_to_the_server_and_back_exactly() {
        let Some(url) = super::super::server::tests::fresh_url("t") else {
            return;
        };
        let (_dir, mut file) = open_file();
        budget(&mut file, "4.2", "5000000");
        let sme = eligible_sme(&mut file, "7707083893");
        let c = ctx("2025-03-06");
        let a = crate::agreement::create(&mut file, &c, &standalone(sme, None)).unwrap();
        crate::agreement::sign(&mut file, &c, a.id, day("2025-03-06")).unwrap();
        let doc = archive::generate(&mut file, &c, DocumentKind::Agreement, a.id).unwrap();
        archive::attach_scan(&mut file, &c, doc.id, "скан.pdf", b"%PDF-1.4 scan").unwrap();
        let before = content(&file);
        assert!(
            before["document"][0].contains("байт"),
            "the PDF is in the copy: {:?}",
            before["document"]
        );

        let (mut server, _) = super::super::server::init(&url).unwrap();
        let mut seen = Vec::new();
        let copied = copy_all(&file, &mut server, &mut |t| seen.push(t.to_owned())).unwrap();
        let of = |t: &str| copied.iter().find(|c| c.table == t).map(|c| c.rows);
        assert_eq!(
            (of("sme"), of("agreement"), of("document"), of("document_scan")),
            (Some(1), Some(1), Some(1), Some(1))
        );
        assert!(of("audit_log").unwrap() > 3, "the journal moves too");
        assert!(
            seen.iter().position(|t| t == "sme") < seen.iter().position(|t| t == "agreement"),
            "a table after those it refers to: {seen:?}"
        );
        let after = content(&server);
        for (t, rows) in &before {
            assert_eq!(after.get(t), Some(rows), "every row and value of {t} on the server");
        }

        // The server goes on numbering after the copied rows.
        let next = crate::agreement::create(&mut server, &c, &standalone(sme, None)).unwrap();
        assert_eq!((next.id, next.number.as_str()), (a.id + 1, "2/2025-С"));

        let again = copy_all(&file, &mut server, &mut |_| {}).unwrap_err();
        assert!(again.message.contains("не пуста"), "{}", again.message);

        let out = tempfile::tempdir().unwrap();
        let path = out.path().join("копия.sqlite3");
        to_new_file(&mut server, &path, &mut |_| {}).unwrap();
        let back = super::super::open(&path).unwrap();
        assert_eq!(
            content(&back),
            content(&server),
            "the server's data in a new local file"
        );
        let twice = to_new_file(&mut server, &path, &mut |_| {}).unwrap_err();
        assert!(twice.message.contains("уже существует"), "{}", twice.message);

        // The copy reads one moment: a colleague's commit meanwhile is not half in it.
        let mut colleague = super::super::server::connect(&url).unwrap();
        let snapshot = server.snapshot().unwrap();
        let count = |db: &Db| -> i64 { db.query_row("SELECT count(*) FROM sme", [], |r| r.get(0)).unwrap() };
        let seen = count(&snapshot);
        crate::sme::add(
            &mut colleague,
            &c,
            &crate::sme::SmeInput::new(crate::sme::SmeKind::LegalEntity, "ООО «Позже»", "7736207543"),
        )
        .unwrap();
        assert_eq!(count(&snapshot), seen, "the snapshot does not see the later commit");
        drop(snapshot);
        assert_eq!(count(&server), seen + 1);
    }
}
