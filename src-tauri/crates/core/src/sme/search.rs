//! Finding SMEs while the user types: a trigram full-text index (FTS5) over the core-written `search_text`, filters, sorting and a bounded count, fast at 100 000 records.
//!
//! Every word of the query must occur somewhere in the record's search text (name, INN, ОГРН,
//! contacts), in any order. Words of three or more characters are answered by the `sme_fts`
//! trigram index (migration 0005, kept in sync by triggers); shorter words, which a trigram index
//! cannot answer, are checked with `instr` on the rows that remain — a scan only when the whole
//! query is one or two characters. The count stops at [`COUNT_LIMIT`] so that a one-letter query
//! over 100 000 records costs no more than a specific one.

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

/// The WHERE clause of a query and its arguments, shared by the list, its count and the export.
struct Filter {
    sql: String,
    args: Vec<Value>,
}

fn filter(q: &SmeQuery) -> Filter {
    let mut conds = Vec::new();
    let mut args = Vec::new();
    let text = fold(&q.text);
    let (long, short): (Vec<&str>, Vec<&str>) = text.split_whitespace().partition(|w| w.chars().count() >= TRIGRAM);
    if !long.is_empty() {
        // Each word a quoted FTS5 string: the trigram tokenizer turns it into a phrase of trigrams,
        // which matches exactly where the word occurs as a substring. Quotes inside are doubled.
        let fts: Vec<String> = long.iter().map(|w| format!("\"{}\"", w.replace('"', "\"\""))).collect();
        conds.push("sme.id IN (SELECT rowid FROM sme_fts WHERE sme_fts MATCH ?)".to_owned());
        args.push(Value::Text(fts.join(" ")));
    }
    for w in short {
        conds.push("instr(sme.search_text, ?) > 0".to_owned());
        args.push(Value::Text(w.to_owned()));
    }
    if let Some(kind) = q.kind {
        conds.push("sme.kind = ?".to_owned());
        args.push(Value::Text(kind.as_str().to_owned()));
    }
    if let Some(category) = q.category {
        conds.push("sme.category = ?".to_owned());
        args.push(Value::Text(category.as_str().to_owned()));
    }
    if let Some(region) = q.region_code.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        conds.push("sme.region_code = ?".to_owned());
        args.push(Value::Text(region.to_owned()));
    }
    let sql = if conds.is_empty() { "1".to_owned() } else { conds.join(" AND ") };
    Filter { sql, args }
}

fn order(sort: SmeSort) -> &'static str {
    match sort {
        SmeSort::Name => "sme.full_name COLLATE NOCASE, sme.id",
        SmeSort::Inn => "sme.inn",
        SmeSort::Newest => "sme.id DESC",
    }
}

/// A window of the list as filtered and sorted, with the (bounded) number of matches.
pub fn list(conn: &Connection, q: &SmeQuery) -> Result<SmePage> {
    let f = filter(q);
    let limit = if q.limit == 0 { 200 } else { q.limit.min(10_000) };
    let sql = format!(
        "SELECT sme.id, sme.kind, sme.full_name, sme.inn, sme.ogrn, sme.category, sme.region_code, sme.contact_person
         FROM sme WHERE {} ORDER BY {} LIMIT {limit} OFFSET {}",
        f.sql,
        order(q.sort),
        q.offset
    );
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st
        .query_map(rusqlite::params_from_iter(&f.args), |r| {
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
    } else {
        let cap = COUNT_LIMIT.max(seen);
        let counted: u32 = conn
            .prepare_cached(&format!("SELECT count(*) FROM (SELECT 1 FROM sme WHERE {} LIMIT {})", f.sql, cap + 1))?
            .query_row(rusqlite::params_from_iter(&f.args), |r| r.get(0))?;
        (counted.min(cap), counted <= cap)
    };
    Ok(SmePage { total, total_exact, rows })
}

/// Every whole record the query matches, in its order, without the window: for the export.
pub(super) fn each_matching(conn: &Connection, q: &SmeQuery, mut visit: impl FnMut(Sme) -> Result<()>) -> Result<u32> {
    let f = filter(q);
    let columns = COLUMNS.split(", ").map(|c| format!("sme.{}", c.trim())).collect::<Vec<_>>().join(", ");
    let sql = format!("SELECT {columns} FROM sme WHERE {} ORDER BY {}", f.sql, order(q.sort));
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query(rusqlite::params_from_iter(&f.args))?;
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
        Ctx::new("Тест", NaiveDate::from_ymd_opt(2025, 3, 15).unwrap().and_hms_opt(9, 0, 0).unwrap())
    }

    fn names(conn: &Connection, q: SmeQuery) -> Vec<String> {
        list(conn, &q).unwrap().rows.into_iter().map(|r| r.full_name).collect()
    }

    fn text(t: &str) -> SmeQuery {
        SmeQuery { text: t.into(), ..Default::default() }
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
        conn.execute("UPDATE sme SET search_text = 'ПРИАМУРСКИЙ КРАБ' WHERE inn = '7707329152'", []).unwrap();
        let hits: i64 = conn
            .query_row("SELECT count(*) FROM sme_fts WHERE sme_fts MATCH '\"амурский\"'", [], |r| r.get(0))
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
        assert_eq!(names(&conn, text("ао ры")), ["АО «Амурская рыба»"], "short words checked too");
        assert_eq!(names(&conn, text("семенов")), ["ООО «Рыбный двор»"]);
        assert_eq!(names(&conn, text("СЕМЁН")), ["ООО «Рыбный двор»"]);
        assert_eq!(names(&conn, text("елкина")), ["ИП Ёлкина Анна"]);
        assert_eq!(names(&conn, text("08389")), ["ООО «Рыбный двор»"], "INN fragment");
        assert_eq!(names(&conn, text("0132195")), ["ООО «Рыбный двор»"], "OGRN fragment");
        assert_eq!(names(&conn, text("55-66")), ["ИП Ёлкина Анна"], "phone fragment");
        assert_eq!(names(&conn, text("77")).len(), 3, "two characters: scan");
        assert!(names(&conn, text("рыбный амурская")).is_empty(), "all words must occur in one record");
        assert!(names(&conn, text("\"рыб")).is_empty(), "quotes do not break the index query");
        assert!(names(&conn, text("рыб*")).is_empty(), "no FTS syntax leaks through");
    }

    #[test]
    fn filters_and_sorting() {
        let (_dir, conn) = registry();
        let q = SmeQuery { region_code: Some("27".into()), ..Default::default() };
        assert_eq!(names(&conn, q), ["ИП Ёлкина Анна", "ООО «Рыбный двор»"]);
        let q = SmeQuery { text: "рыб".into(), category: Some(SmeCategory::Medium), ..Default::default() };
        assert_eq!(names(&conn, q), ["АО «Амурская рыба»"]);
        let q = SmeQuery { kind: Some(SmeKind::SoleProprietor), ..Default::default() };
        assert_eq!(names(&conn, q), ["ИП Ёлкина Анна"]);
        let q = SmeQuery { sort: SmeSort::Newest, ..Default::default() };
        assert_eq!(names(&conn, q)[0], "ИП Ёлкина Анна");
        let q = SmeQuery { sort: SmeSort::Inn, ..Default::default() };
        assert_eq!(names(&conn, q), ["ИП Ёлкина Анна", "ООО «Рыбный двор»", "АО «Амурская рыба»"]);
        let page = list(&conn, &SmeQuery { limit: 1, offset: 1, ..Default::default() }).unwrap();
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
        assert_eq!(names(&conn, text("крабов")), ["ООО «Крабовый берег»"]);
        conn.execute("DELETE FROM sme WHERE id = ?1", [id]).unwrap();
        assert!(names(&conn, text("крабов")).is_empty());
        let check: Vec<String> = db::check(&conn).unwrap();
        assert!(check.is_empty(), "{check:?}");
        conn.execute("INSERT INTO sme_fts (sme_fts) VALUES ('integrity-check')", []).unwrap();
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
        assert_eq!((page.total, page.total_exact, page.rows.len()), (COUNT_LIMIT, false, 200));
        let page = list(&conn, &text("лес 999")).unwrap();
        let expected = (0..COUNT_LIMIT + 5).filter(|i| i.to_string().contains("999")).count() as u32;
        assert_eq!((page.total, page.total_exact), (expected, true));
        let deep = list(&conn, &SmeQuery { text: "лес".into(), offset: COUNT_LIMIT, ..Default::default() }).unwrap();
        assert_eq!((deep.total, deep.total_exact, deep.rows.len()), (COUNT_LIMIT + 5, true, 5));
    }
}
