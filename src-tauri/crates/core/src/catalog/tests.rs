//! Tests of the catalog: the shipped seed matches §3 of the regulation, and versions are frozen once in use.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;
use crate::audit::Ctx;
use crate::error::ErrorCode;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn day(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

fn ctx(today: NaiveDate) -> Ctx {
    Ctx::new("Руководитель", today.and_hms_opt(10, 0, 0).unwrap())
}

#[test]
fn seed_is_valid_and_has_every_row_of_section_3() {
    let c = seed();
    assert_eq!(validate(&c.services), Vec::<String>::new());
    let codes: Vec<&str> = c.services.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "1", "2", "3.1", "3.2", "4.1.1", "4.1.2", "4.2", "4.3", "4.4", "4.5", "5.1", "5.2", "5.3", "5.4", "5.5",
            "5.6", "5.7", "5.8", "5.9"
        ]
    );
    assert!(c
        .services
        .iter()
        .all(|s| !s.source.is_empty() && s.items.iter().all(|i| i.source.starts_with(&format!("п. {}", s.code)))));
}

#[test]
fn seed_terms_follow_the_regulation() {
    let c = seed();
    // (item, rate, cap, declaration) for every cofinanced item of §3.
    let cofinanced: Vec<(&str, Decimal, Option<Decimal>, bool)> = c
        .services
        .iter()
        .flat_map(|s| s.items.iter())
        .filter(|i| !i.is_free())
        .map(|i| (i.code.as_str(), i.min_sme_rate, i.cap_per_sme, i.declaration_required))
        .collect();
    assert_eq!(
        cofinanced,
        [
            ("4.2", d("0.20"), Some(d("1000000")), true),
            ("4.3", d("0.30"), Some(d("1000000")), true),
            ("4.4", d("0.20"), Some(d("300000")), false),
            ("4.5", d("0.20"), Some(d("1000000")), true),
            ("5.1.a6", d("0.20"), Some(d("300000")), false),
            ("5.2.a1", d("0.20"), Some(d("150000")), false),
            ("5.2.a5", d("0.20"), Some(d("300000")), false),
            ("5.4.a1", d("0.20"), Some(d("150000")), false),
            ("5.7.a2", d("0.20"), Some(d("150000")), false),
            ("5.9.f3", d("0.20"), None, false),
        ]
    );
    assert_eq!(
        c.item("4.3").unwrap().1.share_basis,
        ShareBasis::PreparationFilingPaperwork
    );
    let not_counted: Vec<&str> = c
        .services
        .iter()
        .filter(|s| !s.counts_for_refusal)
        .map(|s| s.code.as_str())
        .collect();
    assert_eq!(not_counted, ["1", "2", "3.1", "3.2", "4.1.1", "4.1.2"]);
    let at_least_one: Vec<&str> = c
        .services
        .iter()
        .filter(|s| s.min_additional == 1)
        .map(|s| s.code.as_str())
        .collect();
    assert_eq!(at_least_one, ["5.1", "5.2", "5.4"]);
    assert_eq!(c.service("5.4").unwrap().min_participants, Some(3));
    assert_eq!(c.service("5.6").unwrap().min_participants, Some(3));
    assert_eq!(c.item("5.9.f1").unwrap().1.min_participants, Some(10));
    assert_eq!(c.item("5.9.f2").unwrap().1.min_participants, Some(10));
    assert_eq!(c.item("5.9.f3").unwrap().1.min_participants, None);
    assert!(c
        .service("4.2")
        .unwrap()
        .documents
        .iter()
        .any(|d| d.contains("экспортный контракт")));
}

#[test]
fn validate_names_the_problem() {
    let mut services = seed().services;
    services[6].items[0].min_sme_rate = d("1.2");
    services[7].code = "4.2".into();
    let problems = validate(&services);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("Услуга 4.2, состав 4.2: доля софинансирования")),
        "{problems:?}"
    );
    assert!(problems.iter().any(|p| p.contains("код повторяется")), "{problems:?}");
}

#[test]
fn the_database_is_seeded_once_and_versions_are_chosen_by_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = crate::db::open_in(dir.path()).unwrap();
    drop(conn);
    conn = crate::db::open_in(dir.path()).unwrap();
    crate::centre::set_field(&mut conn, &ctx(day(2025, 1, 1)), "head_name", "Руководитель").unwrap();
    assert_eq!(list_versions(&conn).unwrap().len(), 1);
    let first = version_for(&conn, day(2025, 3, 15)).unwrap();
    assert_eq!(first.effective_from, day(2024, 3, 12));
    assert_eq!(first.services, seed().services);
    assert_eq!(
        version_for(&conn, day(2024, 3, 11)).unwrap_err().code,
        ErrorCode::NotFound
    );

    let today = day(2025, 11, 20);
    assert_eq!(
        create_version(&mut conn, &ctx(today), first.id, today, "")
            .unwrap_err()
            .field
            .as_deref(),
        Some("effective_from")
    );
    let next = create_version(&mut conn, &ctx(today), first.id, day(2026, 1, 1), "Каталог 2026").unwrap();
    assert_eq!(next.services, first.services);
    assert_eq!(
        create_version(&mut conn, &ctx(today), first.id, day(2026, 1, 1), "")
            .unwrap_err()
            .code,
        ErrorCode::Duplicate
    );

    // An agreement is concluded under the current version: it freezes.
    mark_used(&conn, first.id, day(2025, 4, 1)).unwrap();
    let mut edited = next.services.clone();
    edited.iter_mut().find(|s| s.code == "4.2").unwrap().items[0].cap_per_sme = Some(d("1200000"));
    let err = update_version(&mut conn, &ctx(today), first.id, "", &edited).unwrap_err();
    assert_eq!(err.code, ErrorCode::Rule);
    assert_eq!(get_version(&conn, first.id).unwrap().services, seed().services);

    let saved = update_version(&mut conn, &ctx(today), next.id, "", &edited).unwrap();
    assert_eq!(saved.item("4.2").unwrap().1.cap_per_sme, Some(d("1200000")));
    assert_eq!(version_for(&conn, day(2025, 12, 31)).unwrap().id, first.id);
    assert_eq!(
        version_for(&conn, day(2026, 1, 1))
            .unwrap()
            .item("4.2")
            .unwrap()
            .1
            .cap_per_sme,
        Some(d("1200000"))
    );
    assert_eq!(
        crate::audit::list(&conn, Some("catalog_version"), None, 10)
            .unwrap()
            .len(),
        2
    );

    let mut broken = edited.clone();
    broken[0].name.clear();
    assert_eq!(
        update_version(&mut conn, &ctx(today), next.id, "", &broken)
            .unwrap_err()
            .field
            .as_deref(),
        Some("services")
    );
}

/// The names of rows 4.3, 4.4 and 5.7 as the regulation words them — in a new database and, after
/// migration 0022, in the versions of an older one (a name the head changed is left alone).
#[test]
fn rows_4_3_4_4_and_5_7_carry_the_regulations_full_names() {
    let dir = tempfile::tempdir().unwrap();
    let conn = crate::db::open_in(dir.path()).unwrap();
    let name = |conn: &crate::db::Db, code: &str| {
        let v = list_versions(conn).unwrap()[0].id;
        get_version(conn, v).unwrap().service(code).unwrap().name.clone()
    };
    assert!(name(&conn, "4.3").contains("приравненных к ним средств индивидуализации"));
    assert!(name(&conn, "4.4").contains("включая разработку патентных ландшафтов"));
    assert!(name(&conn, "5.7").starts_with("Организация участия СМСП в международных выставочно-ярмарочных мероприятиях на территории Российской Федерации"));
    // An older database: the shortened names, one of them edited by the head.
    let json: String = conn
        .query_row("SELECT services_json FROM catalog_version", [], |r| r.get(0))
        .unwrap();
    let old = json
        .replace(&name(&conn, "4.3"), "Содействие в обеспечении защиты и оформлении прав на результаты интеллектуальной деятельности и средства индивидуализации за пределами Российской Федерации")
        .replace(&name(&conn, "4.4"), "Маркетинговые исследования (наше название)");
    conn.execute("UPDATE catalog_version SET services_json = ?1", [old])
        .unwrap();
    restore_full_names(&conn).unwrap();
    assert!(name(&conn, "4.3").contains("приравненных к ним средств индивидуализации"));
    assert_eq!(name(&conn, "4.4"), "Маркетинговые исследования (наше название)");
}

/// The website and storage-abroad items carry their kind of support — in a new database and, after
/// migration 0024, in the versions of an older one (an item the head renamed is left alone).
#[test]
fn shared_cap_items_carry_their_kind_of_support() {
    let dir = tempfile::tempdir().unwrap();
    let conn = crate::db::open_in(dir.path()).unwrap();
    let kinds = |conn: &crate::db::Db| {
        let v = list_versions(conn).unwrap()[0].id;
        let mut k: Vec<(String, String)> = get_version(conn, v)
            .unwrap()
            .services
            .iter()
            .flat_map(|s| &s.items)
            .filter_map(|i| i.support_kind.clone().map(|k| (i.code.clone(), k)))
            .collect();
        k.sort();
        k
    };
    let all = kinds(&conn);
    let codes: Vec<&str> = all.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["5.1.a6", "5.2.a1", "5.2.a5", "5.4.a1", "5.7.a2"]);
    // An older database: no kinds, and the head renamed 5.4.a1.
    let json: String = conn
        .query_row("SELECT services_json FROM catalog_version", [], |r| r.get(0))
        .unwrap();
    let mut services: Vec<Service> = serde_json::from_str(&json).unwrap();
    for item in services.iter_mut().flat_map(|s| s.items.iter_mut()) {
        item.support_kind = None;
        if item.code == "5.4.a1" {
            item.name = "Сайт участника миссии".into();
        }
    }
    conn.execute(
        "UPDATE catalog_version SET services_json = ?1",
        [serde_json::to_string(&services).unwrap()],
    )
    .unwrap();
    assert!(kinds(&conn).is_empty());
    fill_seed_annotations(&conn).unwrap();
    let filled = kinds(&conn);
    assert_eq!(filled.len(), 4, "{filled:?}");
    assert!(!filled.iter().any(|(c, _)| c == "5.4.a1"));
    assert!(filled.contains(&("5.7.a2".into(), "website".into())));
}
