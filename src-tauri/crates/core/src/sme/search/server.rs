//! The registry's list on the centre's server (office mode): the same words and filters as on the file, found through pg_trgm's index of `search_text` (`LIKE '%word%'`) instead of FTS5, one query for the window and one bounded count.

use super::{order, plan_of, rows_of_ids, SmePage, SmeQuery, COUNT_LIMIT};
use crate::db::{Db, Value};
use crate::error::Result;

/// A window of the list with the number of matches, counted up to [`COUNT_LIMIT`].
pub(super) fn page(conn: &Db, q: &SmeQuery, limit: u32) -> Result<SmePage> {
    let (conds, args) = condition(conn, q)?;
    let mut window = args.clone();
    window.extend([Value::Integer(limit.into()), Value::Integer(q.offset.into())]);
    let n = args.len();
    let ids: Vec<i64> = conn.query_map(
        &format!(
            "SELECT sme.id FROM sme WHERE {conds} ORDER BY {} LIMIT ?{} OFFSET ?{}",
            order(q.sort),
            n + 1,
            n + 2
        ),
        &window,
        |r| r.get(0),
    )?;
    let counted: u32 = conn.query_row(
        &format!(
            "SELECT count(*) FROM (SELECT 1 FROM sme WHERE {conds} LIMIT {}) AS found",
            COUNT_LIMIT + 1
        ),
        &args,
        |r| r.get(0),
    )?;
    Ok(SmePage {
        total: counted.min(COUNT_LIMIT),
        total_exact: counted <= COUNT_LIMIT,
        rows: rows_of_ids(conn, &ids)?,
    })
}

/// The query's words (each a substring of the folded `search_text`, which the trigram index
/// finds) and filters as one condition, with its arguments.
pub(super) fn condition(conn: &Db, q: &SmeQuery) -> Result<(String, Vec<Value>)> {
    let plan = plan_of(conn, q)?;
    let mut conds = vec!["1 = 1".to_owned()];
    let mut args = Vec::new();
    for w in &plan.words {
        args.push(Value::Text(crate::search::contains_pattern(w).into()));
        conds.push(format!("sme.search_text LIKE ?{} ESCAPE '\\'", args.len()));
    }
    for (cond, value) in &plan.filters {
        args.push(Value::Text(value.clone().into()));
        conds.push(cond.replace('?', &format!("?{}", args.len())));
    }
    conds.extend(plan.verdict.clone());
    Ok((conds.join(" AND "), args))
}
