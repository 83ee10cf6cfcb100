//! Finding SMEs while the user types: a trigram full-text index (FTS5) over the core-written `search_text`, filters, sorting and a bounded count, fast at 100 000 records.
//!
//! Every word of the query must occur somewhere in the record's search text (name, INN, ОГРН,
//! contacts), in any order. The plan follows what the trigram index (`sme_fts`, migration 0005,
//! kept in sync by triggers) says about the words of three or more characters:
//! - no match: done;
//! - few matches (see [`drive_limit`]): the index drives, the matching rows are fetched and sorted;
//! - more, or only words of one or two characters (which a trigram index cannot answer): the list
//!   is walked in its sort order through a covering index and each row checked with `instr`, so
//!   the first window of a frequent word is found after a few hundred rows.
//!
//! The count stops at [`COUNT_LIMIT`] when the index alone answers it, and looks at no more than
//! [`COUNT_SCAN`] rows when it does not; then `total_exact` is false and `total` a lower bound.

use crate::db::Db;
use crate::db::Value;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::store::{from_row, COLUMNS};
use super::{Sme, SmeCategory, SmeKind};
use crate::eligibility::{self, Verdict};
use crate::error::Result;
use crate::fns_registry;

/// Rows counted at most for [`SmePage::total`]; beyond it the list says "more than".
pub const COUNT_LIMIT: u32 = 10_000;

/// The shortest word the trigram index can answer.
const TRIGRAM: usize = 3;

/// What the registry list asks for: a text to find, filters, sorting and a window of rows.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SmeQuery {
    /// Any part of the name, INN, ОГРН, contact person, phone or e-mail; case-insensitive, «ё» = «е».
    /// Several words must all occur, in any order («ооо рыб» finds «ООО «Рыбный двор»»).
    pub text: String,
    pub kind: Option<SmeKind>,
    pub category: Option<SmeCategory>,
    pub region_code: Option<String>,
    /// Only SMEs whose current eligibility verdict (as of `as_of`) is this one.
    #[ts(optional)]
    #[serde(default)]
    pub verdict: Option<Verdict>,
    /// The day the verdict filter judges staleness on; the shell fills in today. Without it the
    /// verdict filter is ignored.
    #[ts(optional)]
    #[serde(default)]
    pub as_of: Option<NaiveDate>,
    pub sort: SmeSort,
    pub offset: u32,
    /// Rows in the window; 0 means 200. At most 10 000.
    pub limit: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SmeSort {
    /// By name without the legal form and quotes: «ООО «Рыбный двор»» under Р, as people look for it.
    #[default]
    Name,
    Inn,
    Newest,
}

/// One row of the registry list (enough for the table; the card loads the whole record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SmeListItem {
    pub id: i64,
    pub kind: SmeKind,
    pub full_name: String,
    pub inn: String,
    pub ogrn: String,
    pub category: Option<SmeCategory>,
    pub region_code: String,
    pub contact_person: String,
}

/// A window of the filtered list and how many rows match (for the virtualised table).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SmePage {
    /// Matching rows, counted up to [`COUNT_LIMIT`] (or up to the end of this window, if further).
    pub total: u32,
    /// False when counting stopped early: there are at least `total` matches («более 10 000»).
    pub total_exact: bool,
    pub rows: Vec<SmeListItem>,
}

pub use crate::search::fold;

/// Up to how many trigram-index matches the index should drive. Driving costs about one row
/// fetch per match; walking the list in sort order costs about one index entry per
/// `rows / matches` until the window is filled, i.e. `window × rows / matches` entries, each a
/// little cheaper than a fetch (measured: ~0.75). The two are equal at
/// `matches² = 0.75 × window × rows`; for 100 000 rows and a window of 200, at about 3 900 matches.
fn drive_limit(window_end: u32, rows: u32) -> u32 {
    let cross = (0.75 * f64::from(window_end) * f64::from(rows)).sqrt() as u32;
    cross.clamp(500, COUNT_LIMIT)
}

/// Rows looked at, at most, to count a query the trigram index cannot count alone (words of one
/// or two characters, filters); beyond it the count is a lower bound (`total_exact = false`).
const COUNT_SCAN: u32 = 5_000;

const LIST_COLUMNS: &str =
    "sme.id, sme.kind, sme.full_name, sme.inn, sme.ogrn, sme.category, sme.region_code, sme.contact_person";

/// A query taken apart into what the trigram index answers and what SQL conditions check.
#[derive(Debug)]
struct Plan {
    /// The words of three or more characters as an FTS5 query: each a quoted string, which the
    /// trigram tokenizer turns into a phrase of trigrams — it matches exactly where the word
    /// occurs as a substring. Quotes inside are doubled, so no FTS syntax leaks through.
    fts: Option<String>,
    /// Every word, in the order typed.
    words: Vec<String>,
    short_words: Vec<String>,
    /// Column conditions of the filters, with their values.
    filters: Vec<(&'static str, String)>,
    /// The verdict filter: a condition with its values inlined (dates and numbers the core made).
    verdict: Option<String>,
}

impl Plan {
    fn new(q: &SmeQuery, verdict: Option<String>) -> Plan {
        let text = fold(&q.text);
        let words: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
        let (long_words, short_words): (Vec<String>, Vec<String>) =
            words.iter().cloned().partition(|w| w.chars().count() >= TRIGRAM);
        let fts = (!long_words.is_empty()).then(|| {
            long_words
                .iter()
                .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(" ")
        });
        let mut filters = Vec::new();
        if let Some(kind) = q.kind {
            filters.push(("sme.kind = ?", kind.as_str().to_owned()));
        }
        if let Some(category) = q.category {
            filters.push(("sme.category = ?", category.as_str().to_owned()));
        }
        if let Some(region) = q.region_code.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            filters.push(("sme.region_code = ?", region.to_owned()));
        }
        Plan {
            fts,
            words,
            short_words,
            filters,
            verdict,
        }
    }

    /// Only words the index answers alone: its count is the count of the query.
    fn index_alone(&self) -> bool {
        self.short_words.is_empty() && self.filters.is_empty() && self.verdict.is_none()
    }

    /// A WHERE clause checking `words` with instr() and the filters, and its arguments.
    fn conditions<'a>(&'a self, words: impl Iterator<Item = &'a String>, args: &mut Vec<Value>) -> String {
        let mut conds = vec!["1".to_owned()];
        conds.extend(self.condition_list(words, args));
        conds.join(" AND ")
    }

    /// The conditions of [`Plan::conditions`] one by one, the arguments in their order.
    fn condition_list<'a>(&'a self, words: impl Iterator<Item = &'a String>, args: &mut Vec<Value>) -> Vec<String> {
        let mut conds = Vec::new();
        for w in words {
            conds.push("instr(sme.search_text, ?) > 0".to_owned());
            args.push(Value::Text(w.clone().into()));
        }
        for (cond, value) in &self.filters {
            conds.push((*cond).to_owned());
            args.push(Value::Text(value.clone().into()));
        }
        conds.extend(self.verdict.clone());
        conds
    }

    /// The index driving: rows the FTS query matches, checked for short words and filters.
    fn driven(&self, fts: &str, select: &str) -> (String, Vec<Value>) {
        let mut args = vec![Value::Text(fts.to_owned().into())];
        let conds = self.conditions(self.short_words.iter(), &mut args);
        let sql = format!(
            "SELECT {select} FROM sme_fts CROSS JOIN sme ON sme.id = sme_fts.rowid WHERE sme_fts MATCH ? AND {conds}"
        );
        (sql, args)
    }

    /// The table walked in the sort order, every word checked with instr().
    fn walked(&self, sort: SmeSort, select: &str) -> (String, Vec<Value>) {
        let mut args = Vec::new();
        // The last word typed first: it is usually the distinctive one («ооо рыб», «ип петров»), so
        // most rows fail on the first instr() and the second is not computed.
        let conds = self.conditions(self.words.iter().rev(), &mut args);
        // Covering indexes (0005) hold the sort key and the search text: rows that do not match
        // cost no lookup of the table row.
        let index = match sort {
            SmeSort::Name => "INDEXED BY sme_name_search",
            SmeSort::Inn => "INDEXED BY sme_inn_search",
            SmeSort::Newest => "",
        };
        (format!("SELECT {select} FROM sme {index} WHERE {conds}"), args)
    }
}

fn plan_of(conn: &Db, q: &SmeQuery) -> Result<Plan> {
    let verdict = match (q.verdict, q.as_of) {
        (Some(v), Some(today)) => Some(verdict_condition(conn, v, today)?),
        _ => None,
    };
    Ok(Plan::new(q, verdict))
}

/// The SQL twin of `eligibility::verdict` for one SME row: its newest check, stale when older
/// than the re-check period or when a newer snapshot was imported after it; otherwise its
/// recorded outcome («incomplete» needs a re-check). A test keeps the two in agreement.
fn verdict_condition(conn: &Db, wanted: Verdict, today: NaiveDate) -> Result<String> {
    let days = eligibility::recheck_days(conn)?;
    let newer_import = match fns_registry::newest_snapshot(conn)? {
        None => "1 = 0".to_owned(),
        Some(n) => {
            let imported_at = n.imported_at.replace('\'', "''");
            format!(
                "((c.source_kind = 'manual' OR '{}' > coalesce(c.snapshot_date, '')) AND '{imported_at}' > c.checked_at)",
                n.state_date
            )
        }
    };
    // A check older than `days` days: made before this day.
    let stale_before = today - chrono::Duration::days(days.into());
    let state = format!(
        "COALESCE((SELECT CASE
            WHEN substr(c.checked_at, 1, 10) < '{stale_before}' THEN 'needs_recheck'
            WHEN {newer_import} THEN 'needs_recheck'
            WHEN c.outcome = 'eligible' THEN 'eligible'
            WHEN c.outcome = 'not_eligible' THEN 'not_eligible'
            ELSE 'needs_recheck' END
          FROM eligibility_check c WHERE c.id = (SELECT e.id FROM eligibility_check e WHERE e.sme_id = sme.id
            ORDER BY e.checked_at DESC, e.id DESC LIMIT 1)), 'needs_recheck')"
    );
    let wanted = match wanted {
        Verdict::Eligible => "eligible",
        Verdict::NotEligible => "not_eligible",
        Verdict::NeedsRecheck => "needs_recheck",
    };
    Ok(format!("{state} = '{wanted}'"))
}

/// A condition on `sme` rows: their search text contains the folded `text`, whose `LIKE` pattern
/// is the argument `?n` already given (the journal's search of a business's changes).
pub(crate) fn contains(engine: crate::db::Engine, text: &str, n: usize, args: &mut Vec<Value>) -> String {
    match engine {
        crate::db::Engine::Sqlite => format!("sme.search_text LIKE ?{n} ESCAPE '\\'"),
        crate::db::Engine::Postgres => server::contains(text, n, args),
    }
}

fn order(sort: SmeSort) -> &'static str {
    match sort {
        SmeSort::Name => "sme.sort_name, sme.id",
        SmeSort::Inn => "sme.inn",
        SmeSort::Newest => "sme.id DESC",
    }
}

fn count(conn: &Db, sql: &str, args: &[Value]) -> Result<u32> {
    conn.query_row(sql, args, |r| r.get(0))
}

/// A window of the list as filtered and sorted, with the (bounded) number of matches; finds the
/// matches afresh (a list that scrolls keeps a [`SearchCache`] instead).
pub fn list(conn: &Db, q: &SmeQuery) -> Result<SmePage> {
    SearchCache::default().list(conn, q)
}

/// Every whole record the query matches, in its order, without the window: for the export.
pub(super) fn each_matching(conn: &Db, q: &SmeQuery, mut visit: impl FnMut(Sme) -> Result<()>) -> Result<u32> {
    let plan = plan_of(conn, q)?;
    let columns = COLUMNS
        .split(", ")
        .map(|c| format!("sme.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let (sql, args) = match (&plan.fts, conn.engine()) {
        (_, crate::db::Engine::Postgres) => {
            let (conds, args) = server::condition(conn, q, u32::MAX)?;
            (format!("SELECT {columns} FROM sme WHERE {conds}"), args)
        }
        (Some(fts), _) => plan.driven(fts, &columns),
        (None, _) => plan.walked(q.sort, &columns),
    };
    let mut n = 0;
    conn.for_each(&format!("{sql} ORDER BY {}", order(q.sort)), args, |row| {
        visit(from_row(row)?)?;
        n += 1;
        Ok(true)
    })?;
    Ok(n)
}

mod match_set;
mod server;
use match_set::rows_of as rows_of_ids;
pub use match_set::SearchCache;
pub use server::SERVER_COUNT;

#[cfg(test)]
mod tests;
