//! Tests of `sme/search.rs`.
use super::*;
use crate::audit::Ctx;
use crate::db;
use crate::db::Db;
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

fn names(conn: &Db, q: SmeQuery) -> Vec<String> {
    list(conn, &q).unwrap().rows.into_iter().map(|r| r.full_name).collect()
}

fn text(t: &str) -> SmeQuery {
    SmeQuery {
        text: t.into(),
        ..Default::default()
    }
}

fn registry() -> (tempfile::TempDir, Db) {
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
    let tx = conn.write_unchecked().unwrap();
    for i in 0..COUNT_LIMIT + 5 {
        tx.execute(
            "INSERT INTO sme (kind, full_name, inn, search_text, created_at, updated_at)
             VALUES ('legal_entity', ?1, ?2, ?3, 'x', 'x')",
            crate::params![format!("ООО «Лес {i}»"), i.to_string(), format!("ооо «лес {i}»")],
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
    let tx = conn.write_unchecked().unwrap();
    for i in 0..5_000u32 {
        let form = forms[i as usize % forms.len()];
        let close = if form.ends_with('«') { "»" } else { "" };
        let name = format!("{form}{} {}{close}", words[(i as usize * 7) % words.len()], i % 97);
        let inn = format!("{:010}", 2_700_000_000u64 + u64::from(i * 7919 % 5_000));
        let region = if i % 3 == 0 { "27" } else { "28" };
        let search = fold(&format!("{name} | {inn}"));
        let id: i64 = tx
            .query_row(
                "INSERT INTO sme (kind, full_name, inn, region_code, search_text, created_at, updated_at)
                 VALUES ('legal_entity', ?1, ?2, ?3, ?4, 'x', 'x') RETURNING id",
                crate::params![name, inn, region, search],
                |r| r.get(0),
            )
            .unwrap();
        rows.push((id, search, inn, region));
    }
    tx.commit().unwrap();
    let sort_names: std::collections::HashMap<i64, String> = conn
        .query_map("SELECT id, sort_name FROM sme", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .into_iter()
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
                    SmeSort::Name => expected.sort_by(|a, b| (&sort_names[&a.0], a.0).cmp(&(&sort_names[&b.0], b.0))),
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
        let mut c = rusqlite::Connection::open(&path).unwrap();
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

/// A big enough registry that every plan (index-driven, walked, bounded count) is used.
fn many(conn: &mut Db, n: u32) {
    let words = ["Рыбный", "Амур", "Лес", "Кедр", "Мёд", "Транс", "Восток", "Агро"];
    let tx = conn.write_unchecked().unwrap();
    for i in 0..n {
        let form = if i % 4 == 3 { "АО" } else { "ООО" };
        let name = format!("{form} «{} {}»", words[(i as usize * 7) % words.len()], i % 97);
        let inn = format!("{:010}", 2_700_000_000u64 + u64::from(i * 7919 % n));
        tx.execute(
            "INSERT INTO sme (kind, full_name, inn, region_code, search_text, created_at, updated_at)
             VALUES ('legal_entity', ?1, ?2, '27', ?3, 'x', 'x')",
            crate::params![name, inn, fold(&format!("{name} | {inn}"))],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

/// Scrolling page by page with one kept match set, and jumping deep into it, gives exactly the
/// windows and totals a fresh search gives.
#[test]
fn kept_matches_give_the_same_windows_as_a_fresh_search() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    many(&mut conn, 12_000);
    for t in ["", "ооо", "ам", "ооо ам", "рыб 5", "мед", "zzz", "а"] {
        for sort in [SmeSort::Name, SmeSort::Inn, SmeSort::Newest] {
            let mut cache = SearchCache::default();
            let page = |offset| SmeQuery {
                text: t.into(),
                sort,
                offset,
                limit: 100,
                ..Default::default()
            };
            for offset in [0, 100, 200, 300, 7_000, 400, 11_950] {
                let kept = cache.list(&conn, &page(offset)).unwrap();
                let fresh = list(&conn, &page(offset)).unwrap();
                let ids = |p: &SmePage| p.rows.iter().map(|r| r.id).collect::<Vec<_>>();
                assert_eq!(ids(&kept), ids(&fresh), "{t:?} {sort:?} at {offset}");
                // The plan is chosen once, for the first window, so one of the two may know the
                // exact count where the other gives a lower bound; they never disagree otherwise.
                match (kept.total_exact, fresh.total_exact) {
                    (true, true) => assert_eq!(kept.total, fresh.total, "{t:?} {sort:?} at {offset}"),
                    (true, false) => assert!(kept.total >= fresh.total, "{t:?} {sort:?} at {offset}"),
                    (false, true) => assert!(kept.total <= fresh.total, "{t:?} {sort:?} at {offset}"),
                    (false, false) => {}
                }
                if !kept.total_exact {
                    // Not exact: at least the rows seen, and more than the window when the window is full.
                    assert!(kept.total >= offset + kept.rows.len() as u32);
                    if kept.rows.len() == 100 {
                        assert!(kept.total > offset + 100, "{t:?} {sort:?} at {offset}: {}", kept.total);
                    }
                }
            }
        }
    }
}

/// A write through the same connection (which `PRAGMA data_version` does not see) or through
/// another one: the kept matches are found again, so the list never shows a stale row.
#[test]
fn kept_matches_are_dropped_after_any_write() {
    let (dir, mut conn) = registry();
    let mut cache = SearchCache::default();
    let q = text("рыб");
    let before: Vec<String> = cache
        .list(&conn, &q)
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.full_name)
        .collect();
    assert_eq!(before, ["АО «Амурская рыба»", "ООО «Рыбный двор»"]);

    // Same connection: a new SME.
    let mut d = SmeInput::new(SmeKind::LegalEntity, "ООО «Рыбацкая артель»", "7710140679");
    d.region_code = "27".into();
    add(&mut conn, &ctx(), &d).unwrap();
    let page = cache.list(&conn, &q).unwrap();
    assert_eq!(page.total, 3);
    assert!(page.rows.iter().any(|r| r.full_name == "ООО «Рыбацкая артель»"));

    // Same connection: a renamed SME leaves the matches.
    let id = page
        .rows
        .iter()
        .find(|r| r.full_name == "ООО «Рыбный двор»")
        .unwrap()
        .id;
    let mut input = crate::sme::get(&conn, id).unwrap().input;
    input.full_name = "ООО «Крабовый берег»".into();
    update(&mut conn, &ctx(), id, &input).unwrap();
    let page = cache.list(&conn, &q).unwrap();
    assert_eq!((page.total, page.rows.len()), (2, 2));
    assert!(page.rows.iter().all(|r| r.id != id));

    // Another connection (another program on the same file): its commit changes data_version.
    let other = db::open_in(dir.path()).unwrap();
    other.execute("DELETE FROM sme WHERE inn = '7707329152'", []).unwrap();
    let page = cache.list(&conn, &q).unwrap();
    let names: Vec<String> = page.rows.into_iter().map(|r| r.full_name).collect();
    assert_eq!(names, ["ООО «Рыбацкая артель»"]);

    // Without writes the set is kept: a row changed behind its back by nothing cannot differ,
    // and a cleared cache finds the same.
    let kept = cache.list(&conn, &q).unwrap().total;
    cache.clear();
    assert_eq!(cache.list(&conn, &q).unwrap().total, kept);
}
