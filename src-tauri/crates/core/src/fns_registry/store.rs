//! SQL of the imported registry: writing records in bulk, listing and deleting snapshots, lookups by INN.

use crate::db::{Db, Row};
use crate::params;
use crate::staff::Right;
use chrono::NaiveDate;

use super::{FnsRecord, FnsSnapshot};
use crate::audit::{self, AuditAction, Ctx};
use crate::error::{CoreError, Result};
use crate::sme::{SmeCategory, SmeKind};

const SNAPSHOT_COLUMNS: &str =
    "id, state_date, regions, source_files, format_version, records_seen, records_imported, \
     records_skipped, imported_at, imported_by, records_duplicate";

/// A snapshot no reader sees: its state date is `~` and its id while an import fills it or after it
/// was replaced or deleted (its records are being removed), or empty (an import of an older
/// version that died). Distinct per snapshot, so the unique (state date, regions) pair holds.
const HIDDEN: &str = "(state_date = '' OR state_date LIKE '~%')";

const RECORD_COLUMNS: &str =
    "inn, kind, category, included_on, full_name, short_name, last_name, first_name, patronymic, \
     ogrn, region_code, okved_main, okved_extra";

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn split(s: &str, sep: char) -> Vec<String> {
    s.split(sep).filter(|p| !p.is_empty()).map(str::to_owned).collect()
}

fn snapshot_from_row(r: &Row) -> Result<FnsSnapshot> {
    let date: String = r.get(1)?;
    Ok(FnsSnapshot {
        id: r.get(0)?,
        state_date: parse_date(&date).unwrap_or_default(),
        regions: split(&r.get::<_, String>(2)?, ','),
        source_files: split(&r.get::<_, String>(3)?, '\n'),
        format_version: r.get(4)?,
        records_seen: r.get(5)?,
        records_imported: r.get(6)?,
        records_skipped: r.get(7)?,
        imported_at: r.get(8)?,
        imported_by: r.get(9)?,
        records_duplicate: r.get(10)?,
    })
}

/// Reads a record from `RECORD_COLUMNS` starting at column `at`.
fn record_from_row(r: &Row, at: usize) -> Result<FnsRecord> {
    let kind: String = r.get(at + 1)?;
    let category: String = r.get(at + 2)?;
    let included: Option<String> = r.get(at + 3)?;
    Ok(FnsRecord {
        inn: r.get(at)?,
        kind: SmeKind::parse(&kind).unwrap_or(SmeKind::LegalEntity),
        category: SmeCategory::parse(&category).unwrap_or(SmeCategory::Micro),
        included_on: included.as_deref().and_then(parse_date),
        full_name: r.get(at + 4)?,
        short_name: r.get(at + 5)?,
        last_name: r.get(at + 6)?,
        first_name: r.get(at + 7)?,
        patronymic: r.get(at + 8)?,
        ogrn: r.get(at + 9)?,
        region_code: r.get(at + 10)?,
        okved_main: r.get(at + 11)?,
        okved_extra: r.get(at + 12)?,
    })
}

/// Writes one record of a snapshot; false when its INN was already there (the same business in
/// two files): the later record replaces it and the caller counts a repeat.
pub(super) fn insert(conn: &Db, snapshot_id: i64, r: &FnsRecord) -> Result<bool> {
    let values = params![
        snapshot_id,
        r.inn,
        r.kind.as_str(),
        r.category.as_str(),
        r.included_on.map(|d| d.format("%Y-%m-%d").to_string()),
        r.full_name,
        r.short_name,
        r.last_name,
        r.first_name,
        r.patronymic,
        r.ogrn,
        r.region_code,
        r.okved_main,
        r.okved_extra,
    ];
    let fresh = conn.execute(
        &format!(
            "INSERT INTO fns_record (snapshot_id, {RECORD_COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT DO NOTHING"
        ),
        values,
    )? == 1;
    if !fresh {
        conn.execute(
            "UPDATE fns_record SET kind = ?3, category = ?4, included_on = ?5, full_name = ?6, short_name = ?7,
                 last_name = ?8, first_name = ?9, patronymic = ?10, ogrn = ?11, region_code = ?12, okved_main = ?13,
                 okved_extra = ?14
             WHERE snapshot_id = ?1 AND inn = ?2",
            values,
        )?;
    }
    Ok(fresh)
}

/// Records deleted per transaction when a snapshot goes: a colleague's save waits for one batch,
/// not for the millions of records of a national registry.
const PURGE_BATCH: i64 = 20_000;

/// Removes a snapshot no reader sees any more (its state date is empty): its records in short
/// transactions, then the row.
pub(super) fn purge(conn: &mut Db, id: i64) -> Result<()> {
    loop {
        let tx = conn.write_unchecked()?;
        let n = tx.execute(
            "DELETE FROM fns_record WHERE snapshot_id = ?1
             AND inn IN (SELECT inn FROM fns_record WHERE snapshot_id = ?1 LIMIT ?2)",
            params![id, PURGE_BATCH],
        )?;
        tx.commit()?;
        if n == 0 {
            break;
        }
    }
    let tx = conn.write_unchecked()?;
    tx.execute(&format!("DELETE FROM fns_snapshot WHERE id = ?1 AND {HIDDEN}"), [id])?;
    tx.commit()
}

/// Snapshots left hidden by an import that died (a crash, a power cut) or by a deletion that did
/// not finish, older than `before` (an import running in another window right now is younger).
pub(super) fn leftovers(conn: &Db, before: &str) -> Result<Vec<i64>> {
    conn.query_map(
        &format!("SELECT id FROM fns_snapshot WHERE {HIDDEN} AND imported_at < ?1"),
        [before],
        |r| r.get(0),
    )
}

/// Every snapshot, the newest state date first.
pub fn list_snapshots(conn: &Db) -> Result<Vec<FnsSnapshot>> {
    let rows = conn.query_map(
        &format!(
            "SELECT {SNAPSHOT_COLUMNS} FROM fns_snapshot WHERE NOT {HIDDEN}
         ORDER BY state_date DESC, imported_at DESC, id DESC"
        ),
        [],
        snapshot_from_row,
    )?;
    Ok(rows)
}

pub fn snapshot(conn: &Db, id: i64) -> Result<FnsSnapshot> {
    conn.query_opt(
        &format!("SELECT {SNAPSHOT_COLUMNS} FROM fns_snapshot WHERE id = ?1"),
        [id],
        snapshot_from_row,
    )?
    .ok_or_else(|| {
        CoreError::not_found(format!(
            "Выгрузка реестра МСП № {id} не найдена — возможно, её уже удалили"
        ))
    })
}

/// The snapshot with the latest state date (the one an eligibility check should rely on).
pub fn newest_snapshot(conn: &Db) -> Result<Option<FnsSnapshot>> {
    Ok(list_snapshots(conn)?.into_iter().next())
}

/// The record of `inn` in one snapshot.
pub fn find(conn: &Db, snapshot_id: i64, inn: &str) -> Result<Option<FnsRecord>> {
    conn.query_opt(
        &format!("SELECT {RECORD_COLUMNS} FROM fns_record WHERE snapshot_id = ?1 AND inn = ?2"),
        params![snapshot_id, inn.trim()],
        |r| record_from_row(r, 0),
    )
}

/// The newest snapshot that holds `inn`, with its record.
pub fn newest_holding(conn: &Db, inn: &str) -> Result<Option<(FnsSnapshot, FnsRecord)>> {
    let id: Option<i64> = conn.query_opt(
        &format!(
            "SELECT s.id FROM fns_record r JOIN fns_snapshot s ON s.id = r.snapshot_id
             WHERE r.inn = ?1 AND NOT {}
             ORDER BY s.state_date DESC, s.imported_at DESC, s.id DESC LIMIT 1",
            HIDDEN.replace("state_date", "s.state_date")
        ),
        [inn.trim()],
        |r| r.get(0),
    )?;
    let Some(id) = id else { return Ok(None) };
    let snap = snapshot(conn, id)?;
    let rec =
        find(conn, id, inn)?.ok_or_else(|| CoreError::storage("Запись выгрузки исчезла во время чтения; повторите"))?;
    Ok(Some((snap, rec)))
}

/// Number of records per region code in a snapshot, by code.
pub fn region_counts(conn: &Db, snapshot_id: i64) -> Result<Vec<(String, i64)>> {
    let rows = conn.query_map(
        "SELECT region_code, COUNT(*) FROM fns_record WHERE snapshot_id = ?1 GROUP BY region_code ORDER BY region_code",
        [snapshot_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(rows)
}

/// Deletes a snapshot and its records. It disappears from every list and lookup at once (one short
/// transaction with its journal entry); its records go afterwards in short batches. Checks that
/// relied on it keep its date (their link is cleared).
pub fn delete_snapshot(conn: &mut Db, ctx: &Ctx, id: i64) -> Result<()> {
    let tx = conn.write(ctx, Right::DeleteSnapshot)?;
    let old = snapshot(&tx, id)?;
    hide(&tx, id)?;
    audit::record(&tx, ctx, "fns_snapshot", id, AuditAction::Delete, Some(&old), None)?;
    tx.commit()?;
    purge(conn, id)
}

/// Takes a snapshot out of every list and lookup (inside the caller's transaction).
pub(super) fn hide(conn: &Db, id: i64) -> Result<()> {
    conn.execute("UPDATE fns_snapshot SET state_date = '~' || id WHERE id = ?1", [id])?;
    Ok(())
}
