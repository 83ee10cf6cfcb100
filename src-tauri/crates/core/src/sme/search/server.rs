//! The registry's list on the centre's server (office mode): the same words and filters as on the file, in one query, by the cheaper of two ways — for a rare word, pg_trgm's index of the search key (`LIKE '%word%'`, punctuation written as a letter so that the trigrams span it; migration 0034) finds its few rows, which are then sorted; for a frequent one, the sort index is walked in order checking the words on each index entry (an index-only scan, `strpos`, three times cheaper per row than `LIKE`) until the window is full.
//!
//! The count comes from the same query: it asks for the first [`SERVER_COUNT`] matches at least
//! (more when the window reaches further), so the window and an exact count of a few hundred
//! matches cost one walk; beyond that the list says «более …» and grows as it scrolls, as the
//! file's list does past its own bound.

use super::{order, plan_of, rows_of_ids, SmePage, SmeQuery};
use crate::db::{Db, Value};
use crate::error::Result;

/// Matches counted exactly on the server; beyond, `total` is a lower bound. Lower than the file's
/// [`super::COUNT_LIMIT`]: counting means reading matches, which the file's FTS5 index counts
/// without, and the registry's list needs the number only to size its scroll bar.
pub const SERVER_COUNT: u32 = 1_000;

/// A window of the list with the number of matches (exact up to [`SERVER_COUNT`]).
pub(super) fn page(conn: &Db, q: &SmeQuery, limit: u32) -> Result<SmePage> {
    // One more than asked: whether anything follows.
    let want = (q.offset.saturating_add(limit)).max(SERVER_COUNT) + 1;
    let (conds, mut args) = condition(conn, q, want)?;
    let n = args.len();
    args.push(Value::Integer(want.into()));
    let ids: Vec<i64> = conn.query_map(
        &format!(
            "SELECT sme.id FROM sme WHERE {conds} ORDER BY {} LIMIT ?{}",
            order(q.sort),
            n + 1
        ),
        &args,
        |r| r.get(0),
    )?;
    let seen = ids.len() as u32;
    let from = (q.offset as usize).min(ids.len());
    let to = (from + limit as usize).min(ids.len());
    Ok(SmePage {
        total: if seen < want { seen } else { seen - 1 },
        total_exact: seen < want,
        rows: rows_of_ids(conn, &ids[from..to])?,
    })
}

/// The query's words and filters as one condition, with its arguments: each word a substring of
/// the folded `search_text` — found through the trigram index of the search key (migration 0034)
/// when the words are rare enough that reading their rows beats walking the list, else checked
/// with `strpos` on each entry of the walk.
pub(super) fn condition(conn: &Db, q: &SmeQuery, want: u32) -> Result<(String, Vec<Value>)> {
    let plan = plan_of(conn, q)?;
    // The longest word first: usually the rarest, and `strpos` skips further ahead with a longer
    // needle, so most entries of the walk are refused by one cheap check (the walk of «ооо
    // демо-кедр» on the large demo takes a quarter to a third less time than in the typed order).
    let mut words: Vec<&String> = plan.words.iter().collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    // `indexed`: the key's trigrams find the rows; else the walk checks each word on each entry.
    let build = |indexed: bool| {
        let mut conds = vec!["1 = 1".to_owned()];
        let mut args = Vec::new();
        for w in &words {
            if indexed {
                // Made here, not by the server's `cpe_search_key(?)`: a statement kept prepared
                // gets a generic plan, which would compute the pattern again for every row.
                args.push(Value::Text(format!("%{}%", search_key(w)).into()));
                conds.push(format!("sme.search_key LIKE ?{}", args.len()));
            } else {
                args.push(Value::Text((*w).clone().into()));
                conds.push(format!("strpos(sme.search_text, ?{}) > 0", args.len()));
            }
        }
        for (cond, value) in &plan.filters {
            args.push(Value::Text(value.clone().into()));
            conds.push(cond.replace('?', &format!("?{}", args.len())));
        }
        conds.extend(plan.verdict.clone());
        (conds.join(" AND "), args)
    };
    let (indexed, mut args) = build(true);
    if plan.words.is_empty() || !frequent(conn, &indexed, &args, want)? {
        // The words that need it checked again on the rows the key has found.
        let mut conds = vec![indexed];
        for w in words.iter().filter(|w| checked_again(w)) {
            args.push(Value::Text((*w).clone().into()));
            conds.push(format!("strpos(sme.search_text, ?{}) > 0", args.len()));
        }
        return Ok((conds.join(" AND "), args));
    }
    Ok(build(false))
}

/// `sme.search_text` contains the folded `text` (as the `LIKE` pattern argument `?n`, which the
/// caller has pushed): on the server narrowed first by the search key's trigram index.
pub(crate) fn contains(text: &str, n: usize, args: &mut Vec<Value>) -> String {
    args.push(Value::Text(format!("%{}%", search_key(text)).into()));
    let key = format!("sme.search_key LIKE ?{}", args.len());
    if checked_again(text) {
        format!("{key} AND sme.search_text LIKE ?{n} ESCAPE '\\'")
    } else {
        key
    }
}

/// Whether a match of the key of `word` must be checked in `search_text` itself: only when the
/// word has a mark (two marks are one letter in the key) or the key's letter. For any other word
/// the key's match is the word's: the key differs from the text only where the text has a mark.
fn checked_again(word: &str) -> bool {
    word.contains(|c| c == KEY_MARK || MARKS.contains(c))
}

/// The marks of punctuation the server's search key writes as a letter (`cpe_search_key`,
/// migrations/server/0034_sme_search_key.sql: the same list, a test compares the two).
const MARKS: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~«»„“”‘’–—№…·•";

/// A word as the server's search key has it: each mark of punctuation written as «џ», which
/// pg_trgm takes for a letter. No `%`, `_` or `\` is left, so `%key%` is a literal pattern.
fn search_key(word: &str) -> String {
    word.chars()
        .map(|c| if MARKS.contains(c) { KEY_MARK } else { c })
        .collect()
}

/// The letter the key writes for a mark.
const KEY_MARK: char = 'џ';

/// Whether walking the list in order is cheaper than reading every match through the trigram
/// index, by the planner's estimate of the matches (`estimated`) among the registry's rows (`all`):
/// the walk reads about `want × all / estimated` index entries, the trigram way `estimated` rows
/// of the table, each about fourteen times an entry's cost (measured at 100 000 businesses on the
/// server: 0.14 µs an index entry with `strpos`, 2 µs a row read at random and checked again).
/// With every word in the index's condition the index itself leaves out most rows of a frequent
/// word («ооо демо-кедр»): checking a word in the index is cheaper than in the row.
fn frequent(conn: &Db, conds: &str, args: &[Value], want: u32) -> Result<bool> {
    const ROW_PER_ENTRY: f64 = 14.0;
    let estimated = estimate(conn, &format!("SELECT 1 FROM sme WHERE {conds}"), args)?;
    // The table's size as the planner knows it (its statistics, without planning a query).
    let all: f64 = conn
        .query_row("SELECT reltuples FROM pg_class WHERE oid = 'sme'::regclass", [], |r| {
            r.get::<_, f64>(0)
        })?
        .max(1.0);
    Ok(estimated * estimated * ROW_PER_ENTRY > f64::from(want) * all)
}

/// The planner's estimate of the rows a query returns (the first line of its plan, `rows=N`).
fn estimate(conn: &Db, sql: &str, args: &[Value]) -> Result<f64> {
    let plan: String = conn.query_row(&format!("EXPLAIN {sql}"), args, |r| r.get(0))?;
    Ok(plan
        .split("rows=")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0))
}

#[cfg(test)]
mod tests {
    /// The program's key of a word and the server's key of the same text agree, mark for mark.
    #[test]
    fn the_program_and_the_server_make_the_same_key() {
        let Some(db) = crate::db::server::tests::fresh() else {
            return;
        };
        let text = format!("ооо «демо-кедр» {} abc_1 ё№5 +7 (4212) 55-66-77", super::MARKS);
        let theirs: String = db
            .query_row("SELECT cpe_search_key(?1)", [&text], |r| r.get(0))
            .unwrap();
        assert_eq!(theirs, super::search_key(&text));
        assert!(!theirs.contains(|c| super::MARKS.contains(c)), "{theirs}");
        assert!(theirs.starts_with("ооо џдемоџкедрџ "), "{theirs}");
    }
}
