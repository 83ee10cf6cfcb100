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

use rusqlite::types::Value;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::store::{from_row, COLUMNS};
use super::{Sme, SmeCategory, SmeKind};
use crate::error::Result;

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

/// Text as stored in `search_text` and as searched: lower case (Unicode, unlike SQLite's
/// `lower()`), and «ё» written as «е» because people type «Семенов» for «Семёнов».
pub fn fold(text: &str) -> String {
    text.to_lowercase().replace('ё', "е")
}

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
}

impl Plan {
    fn new(q: &SmeQuery) -> Plan {
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
        }
    }

    /// Only words the index answers alone: its count is the count of the query.
    fn index_alone(&self) -> bool {
        self.short_words.is_empty() && self.filters.is_empty()
    }

    /// A WHERE clause checking `words` with instr() and the filters, and its arguments.
    fn conditions<'a>(&'a self, words: impl Iterator<Item = &'a String>, args: &mut Vec<Value>) -> String {
        let mut conds = vec!["1".to_owned()];
        for w in words {
            conds.push("instr(sme.search_text, ?) > 0".to_owned());
            args.push(Value::Text(w.clone()));
        }
        for (cond, value) in &self.filters {
            conds.push((*cond).to_owned());
            args.push(Value::Text(value.clone()));
        }
        conds.join(" AND ")
    }

    /// The index driving: rows the FTS query matches, checked for short words and filters.
    fn driven(&self, fts: &str, select: &str) -> (String, Vec<Value>) {
        let mut args = vec![Value::Text(fts.to_owned())];
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

fn order(sort: SmeSort) -> &'static str {
    match sort {
        SmeSort::Name => "sme.sort_name, sme.id",
        SmeSort::Inn => "sme.inn",
        SmeSort::Newest => "sme.id DESC",
    }
}

fn count(conn: &Connection, sql: &str, args: &[Value]) -> Result<u32> {
    Ok(conn
        .prepare_cached(sql)?
        .query_row(rusqlite::params_from_iter(args), |r| r.get(0))?)
}

/// A window of the list as filtered and sorted, with the (bounded) number of matches.
pub fn list(conn: &Connection, q: &SmeQuery) -> Result<SmePage> {
    let plan = Plan::new(q);
    let limit = if q.limit == 0 { 200 } else { q.limit.min(10_000) };
    // How many rows the index matches, counted no further than needed to choose a plan and to
    // report a bounded total.
    let hits = match &plan.fts {
        None => None,
        Some(fts) => Some(count(
            conn,
            &format!(
                "SELECT count(*) FROM (SELECT 1 FROM sme_fts WHERE sme_fts MATCH ? LIMIT {})",
                COUNT_LIMIT + 1
            ),
            &[Value::Text(fts.clone())],
        )?),
    };
    if hits == Some(0) {
        return Ok(SmePage {
            total: 0,
            total_exact: true,
            rows: Vec::new(),
        });
    }
    // The largest rowid stands for the number of rows: free to read, and near enough.
    let table_rows: u32 = conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM sme")?
        .query_row([], |r| r.get(0))?;
    let driven = hits.is_some_and(|h| h <= drive_limit(q.offset + limit, table_rows));
    let window = format!("ORDER BY {} LIMIT {limit} OFFSET {}", order(q.sort), q.offset);
    let (sql, args) = match &plan.fts {
        Some(fts) if driven => {
            let (sql, args) = plan.driven(fts, LIST_COLUMNS);
            (format!("{sql} {window}"), args)
        }
        _ => {
            // The window's ids first, from the covering index alone: SQLite reads every row it
            // skips for OFFSET in full, which made scrolling to row 50 000 cost 150 ms.
            let (ids, args) = plan.walked(q.sort, "sme.id");
            (
                format!(
                    "SELECT {LIST_COLUMNS} FROM sme WHERE sme.id IN ({ids} {window}) ORDER BY {}",
                    order(q.sort)
                ),
                args,
            )
        }
    };
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(&args), |r| {
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
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let seen = q.offset + rows.len() as u32;
    let (total, total_exact) = if rows.len() < limit as usize && (!rows.is_empty() || q.offset == 0) {
        // The window reached the end of the matches: the count is known without counting.
        (seen, true)
    } else if let (Some(h), true) = (hits, plan.index_alone()) {
        (h.min(COUNT_LIMIT).max(seen), h <= COUNT_LIMIT)
    } else if let (Some(fts), true) = (&plan.fts, driven) {
        let (sql, args) = plan.driven(fts, "1");
        (count(conn, &format!("SELECT count(*) FROM ({sql})"), &args)?, true)
    } else if plan.fts.is_none() && plan.index_alone() {
        // Neither text nor filters: the whole registry.
        (count(conn, "SELECT count(*) FROM sme", &[])?, true)
    } else {
        // Matches among the first rows of the table: exact when the table is no longer.
        let mut args = Vec::new();
        let conds = plan.conditions(plan.words.iter().rev(), &mut args);
        let (scanned, matched): (u32, u32) = conn
            .prepare_cached(&format!(
                "SELECT count(*), coalesce(sum({conds}), 0) FROM
                 (SELECT search_text, kind, category, region_code FROM sme LIMIT {}) AS sme",
                COUNT_SCAN + 1
            ))?
            .query_row(rusqlite::params_from_iter(&args), |r| Ok((r.get(0)?, r.get(1)?)))?;
        if scanned <= COUNT_SCAN {
            (matched, true)
        } else {
            (matched.max(seen), false)
        }
    };
    Ok(SmePage {
        total,
        total_exact,
        rows,
    })
}

/// Every whole record the query matches, in its order, without the window: for the export.
pub(super) fn each_matching(conn: &Connection, q: &SmeQuery, mut visit: impl FnMut(Sme) -> Result<()>) -> Result<u32> {
    let plan = Plan::new(q);
    let columns = COLUMNS
        .split(", ")
        .map(|c| format!("sme.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let (sql, args) = match &plan.fts {
        Some(fts) => plan.driven(fts, &columns),
        None => plan.walked(q.sort, &columns),
    };
    let mut st = conn.prepare(&format!("{sql} ORDER BY {}", order(q.sort)))?;
    let mut rows = st.query(rusqlite::params_from_iter(&args))?;
    let mut n = 0;
    while let Some(row) = rows.next()? {
        visit(from_row(row)?)?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Ctx;
    use crate::db;
    use crate::sme::{add, update, SmeInput};
    use chrono::NaiveDate;

    fn ctx() -> Ctx {
        Ctx::new(
            "Тест",
            NaiveDate::from_ymd_opt(2025, 3, 15)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        )
    }

    fn names(conn: &Connection, q: SmeQuery) -> Vec<String> {
        list(conn, &q).unwrap().rows.into_iter().map(|r| r.full_name).collect()
    }

    fn text(t: &str) -> SmeQuery {
        SmeQuery {
            text: t.into(),
            ..Default::default()
        }
    }

    fn registry() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = db::open_in(dir.path()).unwrap();
        let mut a = SmeInput::new(SmeKind::LegalEntity, "ООО «Рыбный двор»", "7707083893");
        a.ogrn = "1027700132195".into();
        a.region_code = "27".into();
        a.category = Some(SmeCategory::Small);
        a.contact_person = "Семёнов Пётр".into();
        add(&mut conn, &ctx(), &a).unwrap();
        let mut b = SmeInput::new(SmeKind::LegalEntity, "АО «Амурская рыба»", "7707329152");
        b.region_code = "28".into();
        b.category = Some(SmeCategory::Medium);
        add(&mut conn, &ctx(), &b).unwrap();
        let mut c = SmeInput::new(SmeKind::SoleProprietor, "ИП Ёлкина Анна", "500100732259");
        c.region_code = "27".into();
        c.phone = "+7 (4212) 55-66-77".into();
        add(&mut conn, &ctx(), &c).unwrap();
        (dir, conn)
    }

    #[test]
    fn trigram_index_folds_cyrillic_case_by_itself() {
        // Rows written by other means than the core (not lower-cased) are still found.
        let (_dir, conn) = registry();
        conn.execute(
            "UPDATE sme SET search_text = 'ПРИАМУРСКИЙ КРАБ' WHERE inn = '7707329152'",
            [],
        )
        .unwrap();
        let hits: i64 = conn
            .query_row(
                "SELECT count(*) FROM sme_fts WHERE sme_fts MATCH '\"амурский\"'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(hits, 1);
        assert_eq!(names(&conn, text("амурск")), ["АО «Амурская рыба»"]);
    }

    #[test]
    fn finds_substrings_words_in_any_order_and_e_for_yo() {
        let (_dir, conn) = registry();
        assert_eq!(names(&conn, text("РЫБ")), ["АО «Амурская рыба»", "ООО «Рыбный двор»"]);
        assert_eq!(names(&conn, text("ооо рыб")), ["ООО «Рыбный двор»"]);
        assert_eq!(names(&conn, text("рыба амур")), ["АО «Амурская рыба»"]);
        assert_eq!(
            names(&conn, text("ао ры")),
            ["АО «Амурская рыба»"],
            "short words checked too"
        );
        assert_eq!(names(&conn, text("семенов")), ["ООО «Рыбный двор»"]);
        assert_eq!(names(&conn, text("СЕМЁН")), ["ООО «Рыбный двор»"]);
        assert_eq!(names(&conn, text("елкина")), ["ИП Ёлкина Анна"]);
        assert_eq!(names(&conn, text("08389")), ["ООО «Рыбный двор»"], "INN fragment");
        assert_eq!(names(&conn, text("0132195")), ["ООО «Рыбный двор»"], "OGRN fragment");
        assert_eq!(names(&conn, text("55-66")), ["ИП Ёлкина Анна"], "phone fragment");
        assert_eq!(names(&conn, text("77")).len(), 3, "two characters: scan");
        assert!(
            names(&conn, text("рыбный амурская")).is_empty(),
            "all words must occur in one record"
        );
        assert!(
            names(&conn, text("\"рыб")).is_empty(),
            "quotes do not break the index query"
        );
        assert!(names(&conn, text("рыб*")).is_empty(), "no FTS syntax leaks through");
    }

    #[test]
    fn filters_and_sorting() {
        let (_dir, mut conn) = registry();
        let q = SmeQuery {
            region_code: Some("27".into()),
            ..Default::default()
        };
        assert_eq!(names(&conn, q), ["ИП Ёлкина Анна", "ООО «Рыбный двор»"]);
        let q = SmeQuery {
            text: "рыб".into(),
            category: Some(SmeCategory::Medium),
            ..Default::default()
        };
        assert_eq!(names(&conn, q), ["АО «Амурская рыба»"]);
        let q = SmeQuery {
            kind: Some(SmeKind::SoleProprietor),
            ..Default::default()
        };
        assert_eq!(names(&conn, q), ["ИП Ёлкина Анна"]);
        let q = SmeQuery {
            sort: SmeSort::Newest,
            ..Default::default()
        };
        assert_eq!(names(&conn, q)[0], "ИП Ёлкина Анна");
        let q = SmeQuery {
            sort: SmeSort::Inn,
            ..Default::default()
        };
        assert_eq!(
            names(&conn, q),
            ["ИП Ёлкина Анна", "ООО «Рыбный двор»", "АО «Амурская рыба»"]
        );
        let mut d = SmeInput::new(
            SmeKind::LegalEntity,
            "Общество с ограниченной ответственностью \"Бурея\"",
            "2721000010",
        );
        d.inn = crate::ident::complete_inn10("272100001");
        add(&mut conn, &ctx(), &d).unwrap();
        assert_eq!(
            names(&conn, SmeQuery::default()),
            [
                "АО «Амурская рыба»",
                "Общество с ограниченной ответственностью \"Бурея\"",
                "ИП Ёлкина Анна",
                "ООО «Рыбный двор»"
            ],
            "by name without the legal form"
        );
        conn.execute("DELETE FROM sme WHERE inn = ?1", [&d.inn]).unwrap();
        let page = list(
            &conn,
            &SmeQuery {
                limit: 1,
                offset: 1,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!((page.total, page.total_exact, page.rows.len()), (3, true, 1));
    }

    #[test]
    fn index_follows_updates() {
        let (_dir, mut conn) = registry();
        let id = list(&conn, &text("рыбный")).unwrap().rows[0].id;
        let mut input = crate::sme::get(&conn, id).unwrap().input;
        input.full_name = "ООО «Крабовый берег»".into();
        update(&mut conn, &ctx(), id, &input).unwrap();
        assert!(names(&conn, text("рыбный")).is_empty());
        let sort_name: String = conn
            .query_row("SELECT sort_name FROM sme WHERE id = ?1", [id], |r| r.get(0))
            .unwrap();
        assert_eq!(sort_name, "крабовый берег", "the sort name follows the name");
        assert_eq!(names(&conn, text("крабов")), ["ООО «Крабовый берег»"]);
        conn.execute("DELETE FROM sme WHERE id = ?1", [id]).unwrap();
        assert!(names(&conn, text("крабов")).is_empty());
        let check: Vec<String> = db::check(&conn).unwrap();
        assert!(check.is_empty(), "{check:?}");
        conn.execute("INSERT INTO sme_fts (sme_fts) VALUES ('integrity-check')", [])
            .unwrap();
    }

    #[test]
    fn count_is_bounded_beyond_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = db::open_in(dir.path()).unwrap();
        let tx = conn.transaction().unwrap();
        for i in 0..COUNT_LIMIT + 5 {
            tx.execute(
                "INSERT INTO sme (kind, full_name, inn, search_text, created_at, updated_at)
                 VALUES ('legal_entity', ?1, ?2, ?3, 'x', 'x')",
                rusqlite::params![format!("ООО «Лес {i}»"), i.to_string(), format!("ооо «лес {i}»")],
            )
            .unwrap();
        }
        tx.commit().unwrap();
        let page = list(&conn, &text("лес")).unwrap();
        assert_eq!(
            (page.total, page.total_exact, page.rows.len()),
            (COUNT_LIMIT, false, 200)
        );
        let page = list(&conn, &text("лес 999")).unwrap();
        let expected = (0..COUNT_LIMIT + 5).filter(|i| i.to_string().contains("999")).count() as u32;
        assert_eq!((page.total, page.total_exact), (expected, true));
        // Two letters: no index; the count looks at the first COUNT_SCAN rows and says "at least".
        let short = list(&conn, &text("ле")).unwrap();
        assert!(
            !short.total_exact && short.total >= 200 && short.total < COUNT_LIMIT + 5,
            "{}",
            short.total
        );
        let deep = list(
            &conn,
            &SmeQuery {
                text: "лес".into(),
                offset: COUNT_LIMIT,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            (deep.total, deep.total_exact, deep.rows.len()),
            (COUNT_LIMIT + 5, true, 5)
        );
    }

    /// Both plans (index-driven for rare words, walk in sort order for frequent ones) and every
    /// kind of total give what a plain scan of the same rows gives.
    #[test]
    fn agrees_with_a_plain_scan_on_both_plans() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = db::open_in(dir.path()).unwrap();
        let forms = ["ООО «", "АО «", "ИП ", "ООО «", "ООО «"];
        let words = ["Рыбный", "Амур", "Лес", "Кедр", "Мёд", "Транс", "Восток", "Агро"];
        let mut rows = Vec::new();
        let tx = conn.transaction().unwrap();
        for i in 0..5_000u32 {
            let form = forms[i as usize % forms.len()];
            let close = if form.ends_with('«') { "»" } else { "" };
            let name = format!("{form}{} {}{close}", words[(i as usize * 7) % words.len()], i % 97);
            let inn = format!("{:010}", 2_700_000_000u64 + u64::from(i * 7919 % 5_000));
            let region = if i % 3 == 0 { "27" } else { "28" };
            let search = fold(&format!("{name} | {inn}"));
            tx.execute(
                "INSERT INTO sme (kind, full_name, inn, region_code, search_text, created_at, updated_at)
                 VALUES ('legal_entity', ?1, ?2, ?3, ?4, 'x', 'x')",
                rusqlite::params![name, inn, region, search],
            )
            .unwrap();
            rows.push((tx.last_insert_rowid(), search, inn, region));
        }
        tx.commit().unwrap();
        let sort_names: std::collections::HashMap<i64, String> = conn
            .prepare("SELECT id, sort_name FROM sme")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for text in [
            "ооо",
            "рыб",
            "ооо рыб",
            "амур 5",
            "мед",
            "ам",
            "а",
            "27",
            "zzz",
            "лес 9",
        ] {
            for sort in [SmeSort::Name, SmeSort::Inn, SmeSort::Newest] {
                for region in [None, Some("27")] {
                    let q = SmeQuery {
                        text: text.into(),
                        sort,
                        region_code: region.map(Into::into),
                        ..Default::default()
                    };
                    let deeper = SmeQuery {
                        offset: 150,
                        limit: 100,
                        ..q.clone()
                    };
                    let folded = fold(text);
                    let mut expected: Vec<&(i64, String, String, &str)> = rows
                        .iter()
                        .filter(|r| folded.split_whitespace().all(|w| r.1.contains(w)))
                        .filter(|r| region.is_none_or(|g| r.3 == g))
                        .collect();
                    match sort {
                        SmeSort::Name => {
                            expected.sort_by(|a, b| (&sort_names[&a.0], a.0).cmp(&(&sort_names[&b.0], b.0)))
                        }
                        SmeSort::Inn => expected.sort_by(|a, b| a.2.cmp(&b.2)),
                        SmeSort::Newest => expected.sort_by_key(|r| std::cmp::Reverse(r.0)),
                    }
                    let page = list(&conn, &q).unwrap();
                    let got: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
                    let want: Vec<i64> = expected.iter().take(200).map(|r| r.0).collect();
                    assert_eq!(got, want, "{text:?} {sort:?} {region:?}");
                    let got: Vec<i64> = list(&conn, &deeper).unwrap().rows.iter().map(|r| r.id).collect();
                    let want: Vec<i64> = expected.iter().skip(150).take(100).map(|r| r.0).collect();
                    assert_eq!(got, want, "{text:?} {sort:?} {region:?} from 150");
                    if page.total_exact {
                        assert_eq!(page.total as usize, expected.len(), "{text:?} {sort:?} {region:?}");
                    } else {
                        assert!(page.total as usize >= got.len() && (page.total as usize) < expected.len());
                    }
                }
            }
        }
    }

    /// Rows written before migration 0005 are indexed, «ё»-folded and given their sort name.
    #[test]
    fn migration_indexes_existing_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(db::DB_FILE);
        {
            let mut c = Connection::open(&path).unwrap();
            let tx = c.transaction().unwrap();
            tx.execute_batch(db::MIGRATIONS[0].1).unwrap();
            tx.execute(
                "INSERT INTO sme (kind, full_name, inn, search_text, created_at, updated_at)
                 VALUES ('legal_entity', 'ООО «Семёновский мёд»', '7707083893',
                         'ооо «семёновский мёд» | 7707083893', 'x', 'x')",
                [],
            )
            .unwrap();
            tx.pragma_update(None, "user_version", 1).unwrap();
            tx.commit().unwrap();
        }
        let conn = db::open(&path).unwrap();
        assert_eq!(names(&conn, text("семеновск")), ["ООО «Семёновский мёд»"]);
        assert_eq!(names(&conn, text("МЁД")), ["ООО «Семёновский мёд»"]);
        let sort_name: String = conn.query_row("SELECT sort_name FROM sme", [], |r| r.get(0)).unwrap();
        assert_eq!(sort_name, "семеновский мед");
    }
}
