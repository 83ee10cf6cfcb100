//! The matches of one registry query, found once and kept while the user scrolls: the count and every window come from the same list of ids, and any write to the database throws it away.
//!
//! A list asks for its rows a page at a time, with the same text and filters; finding the matches
//! again for every page, and counting them again, was most of the cost of scrolling. The list of
//! matching ids (in the list's order) is a prefix of all matches, extended by continuing the walk
//! from where it stopped, never from the start. It is valid for the data it was read from: the
//! stamp — `PRAGMA data_version` (writes by other connections) and this connection's
//! `total_changes()` (its own writes, including rolled-back ones) — must be unchanged, otherwise
//! the set is found again, so a row is never shown stale.

use crate::db::Db;
use crate::db::Value;

use super::{
    count, drive_limit, order, plan_of, Plan, SmeListItem, SmePage, SmeQuery, SmeSort, COUNT_LIMIT, COUNT_SCAN,
    LIST_COLUMNS,
};
use crate::error::Result;
use crate::sme::{SmeCategory, SmeKind};

/// The last query's matches; one per list (the shell keeps one for the registry screen).
#[derive(Debug, Default)]
pub struct SearchCache {
    set: Option<MatchSet>,
}

#[derive(Debug)]
struct MatchSet {
    /// The query without its window.
    key: String,
    stamp: (i64, u64),
    /// Matching ids in the list's order: all of them when `complete`, else the first ones.
    ids: Vec<i64>,
    complete: bool,
    /// Matches known to exist (from the trigram index or a bounded scan).
    lower_bound: u32,
    /// The number of matches when counted exactly before all ids are known.
    exact: Option<u32>,
    /// Where the walk in sort order stopped: the sort key and id of the last row looked at.
    cursor: Option<(Value, i64)>,
    /// The words and filters, checked by the walk.
    plan: Plan,
    /// The FTS query when the trigram index drives the walk (few matches); None when the table
    /// is walked in sort order.
    driven: Option<String>,
}

fn stamp(conn: &Db) -> Result<(i64, u64)> {
    conn.change_stamp()
}

fn key_of(q: &SmeQuery) -> String {
    let window = SmeQuery {
        offset: 0,
        limit: 0,
        ..q.clone()
    };
    serde_json::to_string(&window).unwrap_or_default()
}

/// The sort key column of the walk's cursor, next to the id.
fn key_column(sort: SmeSort) -> &'static str {
    match sort {
        SmeSort::Name => "sme.sort_name",
        SmeSort::Inn => "sme.inn",
        SmeSort::Newest => "sme.id",
    }
}

/// Rows after the cursor in the list's order, written so that the covering index seeks to it.
fn after(sort: SmeSort, cursor: &(Value, i64), args: &mut Vec<Value>) -> String {
    match sort {
        SmeSort::Name => {
            args.extend([cursor.0.clone(), cursor.0.clone(), Value::Integer(cursor.1)]);
            "sme.sort_name >= ? AND (sme.sort_name > ? OR sme.id > ?)".into()
        }
        // INNs are unique.
        SmeSort::Inn => {
            args.push(cursor.0.clone());
            "sme.inn > ?".into()
        }
        SmeSort::Newest => {
            args.push(Value::Integer(cursor.1));
            "sme.id < ?".into()
        }
    }
}

impl SearchCache {
    /// A window of the list, from the kept matches when the query and the data are the same.
    pub fn list(&mut self, conn: &Db, q: &SmeQuery) -> Result<SmePage> {
        let limit = if q.limit == 0 { 200 } else { q.limit.min(10_000) };
        if conn.engine() == crate::db::Engine::Postgres {
            return super::server::page(conn, q, limit);
        }
        let key = key_of(q);
        let stamp = stamp(conn)?;
        if !self.set.as_ref().is_some_and(|s| s.key == key && s.stamp == stamp) {
            self.set = None;
            self.set = Some(MatchSet::find(conn, q, key, stamp, q.offset + limit)?);
        }
        let set = self.set.as_mut().expect("set just made");
        // One more than the window: whether anything follows it.
        set.extend(conn, q.sort, (q.offset + limit + 1) as usize)?;
        let from = (q.offset as usize).min(set.ids.len());
        let to = (from + limit as usize).min(set.ids.len());
        let rows = rows_of(conn, &set.ids[from..to])?;
        let (total, total_exact) = if set.complete {
            (set.ids.len() as u32, true)
        } else if let Some(n) = set.exact {
            (n, true)
        } else {
            (set.lower_bound.max(set.ids.len() as u32), false)
        };
        Ok(SmePage {
            total,
            total_exact,
            rows,
        })
    }

    /// Forgets the kept matches (the next window finds them again).
    pub fn clear(&mut self) {
        self.set = None;
    }
}

impl MatchSet {
    /// The first matches of the query: enough for a window ending at `window_end`, and a count.
    fn find(conn: &Db, q: &SmeQuery, key: String, stamp: (i64, u64), window_end: u32) -> Result<MatchSet> {
        let plan = plan_of(conn, q)?;
        let mut set = MatchSet {
            key,
            stamp,
            ids: Vec::new(),
            complete: false,
            lower_bound: 0,
            exact: None,
            cursor: None,
            plan,
            driven: None,
        };
        // How many rows the index matches, counted no further than needed to choose a plan and
        // to report a bounded total.
        let hits = match &set.plan.fts {
            None => None,
            Some(fts) => Some(count(
                conn,
                &format!(
                    "SELECT count(*) FROM (SELECT 1 FROM sme_fts WHERE sme_fts MATCH ? LIMIT {})",
                    COUNT_LIMIT + 1
                ),
                &[Value::Text(fts.clone().into())],
            )?),
        };
        if hits == Some(0) {
            set.complete = true;
            return Ok(set);
        }
        // The largest rowid stands for the number of rows: free to read, and near enough.
        let table_rows: u32 = conn.query_row("SELECT coalesce(max(id), 0) FROM sme", [], |r| r.get(0))?;
        if let (Some(fts), Some(h)) = (&set.plan.fts, hits) {
            if h <= drive_limit(window_end, table_rows) {
                if set.plan.index_alone() {
                    // The index counted them; windows are fetched as they are asked for.
                    set.exact = Some(h);
                    set.driven = Some(fts.clone());
                } else {
                    // Few candidates, some failing the short words or filters: all matches,
                    // sorted, in one query; the count is their number.
                    let (sql, args) = set.plan.driven(fts, "sme.id");
                    set.ids = ids(conn, &format!("{sql} ORDER BY {}", order(q.sort)), &args)?;
                    set.complete = true;
                }
                return Ok(set);
            }
        }
        if let (Some(h), true) = (hits, set.plan.index_alone()) {
            // The index counted; the walk below only fills windows.
            set.lower_bound = h.min(COUNT_LIMIT);
            set.exact = (h <= COUNT_LIMIT).then_some(h);
        } else if set.plan.fts.is_none() && set.plan.index_alone() {
            // Neither text nor filters: the whole registry.
            set.exact = Some(count(conn, "SELECT count(*) FROM sme", &[])?);
        } else if set.plan.filters.is_empty() && set.plan.verdict.is_none() {
            set.first_rows(conn, q.sort)?;
        } else {
            set.count_first_rows(conn)?;
        }
        Ok(set)
    }

    /// Counts and collects the matches among the first [`COUNT_SCAN`] rows in the list's order in
    /// one pass — the same rows the first window is found in, so counting costs no second scan.
    fn first_rows(&mut self, conn: &Db, sort: SmeSort) -> Result<()> {
        let mut args = Vec::new();
        // Nested CASEs, the first condition outermost: a row failing it computes no other.
        let conds = self.plan.condition_list(self.plan.words.iter().rev(), &mut args);
        let test = format!(
            "{}1{}",
            conds.iter().map(|c| format!("CASE WHEN {c} THEN ")).collect::<String>(),
            " ELSE 0 END".repeat(conds.len())
        );
        let sql = format!(
            "SELECT sme.id, {test} FROM sme {} ORDER BY {} LIMIT {}",
            covering(sort),
            order(sort),
            COUNT_SCAN + 1
        );
        let mut scanned = 0u32;
        let mut last = None;
        conn.for_each(&sql, &args, |row| {
            scanned += 1;
            let id: i64 = row.get(0)?;
            if row.get::<_, i64>(1)? != 0 {
                self.ids.push(id);
            }
            last = Some(id);
            Ok(true)
        })?;
        self.lower_bound = self.ids.len() as u32;
        self.complete = scanned <= COUNT_SCAN;
        self.cursor = cursor_at(conn, sort, last)?;
        Ok(())
    }

    /// With filters, whose columns the covering index does not hold: matches among the first
    /// [`COUNT_SCAN`] rows of the table read in its own order (each row read once, no lookups);
    /// the windows are found by the walk.
    fn count_first_rows(&mut self, conn: &Db) -> Result<()> {
        let mut args = Vec::new();
        let conds = self.plan.conditions(self.plan.words.iter().rev(), &mut args);
        let (scanned, matched): (u32, u32) = conn.query_row(
            &format!(
                "SELECT count(*), coalesce(sum({conds}), 0) FROM
                 (SELECT id, search_text, kind, category, region_code FROM sme LIMIT {}) AS sme",
                COUNT_SCAN + 1
            ),
            &args,
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        self.lower_bound = matched;
        if scanned <= COUNT_SCAN {
            self.exact = Some(matched);
        }
        Ok(())
    }

    /// Walks on from the cursor until `wanted` ids are known or the matches end.
    fn extend(&mut self, conn: &Db, sort: SmeSort, wanted: usize) -> Result<()> {
        if self.complete || self.ids.len() >= wanted {
            return Ok(());
        }
        let need = wanted - self.ids.len();
        let (from, mut args, mut conds) = match &self.driven {
            Some(fts) => {
                let (sql, args) = self.plan.driven(fts, "sme.id");
                (sql, args, Vec::new())
            }
            None => {
                let mut args = Vec::new();
                let conds = self.plan.condition_list(self.plan.words.iter().rev(), &mut args);
                (
                    format!("SELECT sme.id FROM sme {} WHERE 1", covering(sort)),
                    args,
                    conds,
                )
            }
        };
        if let Some(cursor) = &self.cursor {
            conds.push(after(sort, cursor, &mut args));
        }
        let sql = format!(
            "{from}{}{} ORDER BY {} LIMIT {need}",
            if conds.is_empty() { "" } else { " AND " },
            conds.join(" AND "),
            order(sort),
        );
        let mut found = 0;
        conn.for_each(&sql, &args, |row| {
            self.ids.push(row.get(0)?);
            found += 1;
            Ok(true)
        })?;
        self.complete = found < need;
        if found > 0 {
            self.cursor = cursor_at(conn, sort, self.ids.last().copied())?;
        }
        Ok(())
    }
}

/// The sort key of the row the walk stopped at (read once, not for every row walked).
fn cursor_at(conn: &Db, sort: SmeSort, id: Option<i64>) -> Result<Option<(Value, i64)>> {
    let Some(id) = id else { return Ok(None) };
    let key: Value = conn.query_row(
        &format!("SELECT {} FROM sme WHERE sme.id = ?1", key_column(sort)),
        [id],
        |r| r.get(0),
    )?;
    Ok(Some((key, id)))
}

/// Covering indexes (0005) hold the sort key and the search text: rows that do not match cost
/// no lookup of the table row.
fn covering(sort: SmeSort) -> &'static str {
    match sort {
        SmeSort::Name => "INDEXED BY sme_name_search",
        SmeSort::Inn => "INDEXED BY sme_inn_search",
        SmeSort::Newest => "",
    }
}

fn ids(conn: &Db, sql: &str, args: &[Value]) -> Result<Vec<i64>> {
    conn.query_map(sql, args, |r| r.get(0))
}

/// The list rows of these ids, in this order.
pub(super) fn rows_of(conn: &Db, ids: &[i64]) -> Result<Vec<SmeListItem>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; ids.len()].join(",");
    let mut by_id: std::collections::HashMap<i64, SmeListItem> = conn
        .query_map(
            &format!("SELECT {LIST_COLUMNS} FROM sme WHERE sme.id IN ({marks})"),
            ids,
            |r| {
                let kind: String = r.get(1)?;
                let category: Option<String> = r.get(5)?;
                Ok(SmeListItem {
                    id: r.get(0)?,
                    kind: SmeKind::parse(&kind).unwrap_or(SmeKind::LegalEntity),
                    full_name: r.get(2)?,
                    inn: r.get(3)?,
                    ogrn: r.get(4)?,
                    category: category.as_deref().and_then(SmeCategory::parse),
                    region_code: r.get(6)?,
                    contact_person: r.get(7)?,
                })
            },
        )?
        .into_iter()
        .map(|item| (item.id, item))
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}
