//! Tests of the SME record: validation by kind, uniqueness of the INN, search, and the audit trail.

use super::*;
use crate::audit::{self, Ctx};
use crate::db;
use crate::error::ErrorCode;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 15).unwrap()
}

fn ctx() -> Ctx {
    Ctx::new("Иванова А. А.", today().and_hms_opt(9, 30, 0).unwrap())
}

fn fields(errors: &[CoreError]) -> Vec<&str> {
    errors.iter().filter_map(|e| e.field.as_deref()).collect()
}

#[test]
fn legal_entity_rules() {
    let mut s = SmeInput::new(SmeKind::LegalEntity, "ООО «Амур-Экспорт»", "7707083893");
    s.ogrn = "1027700132195".into();
    s.kpp = "773601001".into();
    assert!(validate(&s, today()).is_empty());
    s.inn = "500100732259".into();
    s.ogrn = "1027700132196".into();
    s.kpp = "7736".into();
    let errors = validate(&s, today());
    assert_eq!(fields(&errors), ["inn", "ogrn", "kpp"]);
    assert!(errors[0].message.contains("10 цифр"));
    assert!(errors[1].message.starts_with("ОГРН"));
}

#[test]
fn person_rules() {
    let mut s = SmeInput::new(SmeKind::SoleProprietor, "ИП Петров Пётр Петрович", "500100732259");
    s.ogrn = "304500116000157".into();
    s.pd_consent_on = Some(today());
    assert!(validate(&s, today()).is_empty());
    s.kpp = "773601001".into();
    s.ogrn = "1027700132195".into();
    assert_eq!(fields(&validate(&s, today())), ["ogrn", "kpp"]);

    let mut npd = SmeInput::new(SmeKind::SelfEmployed, "Сидорова Анна", "500100732259");
    assert!(validate(&npd, today()).is_empty());
    npd.ogrn = "304500116000157".into();
    npd.category = Some(SmeCategory::Micro);
    npd.inn = "7707083893".into();
    assert_eq!(fields(&validate(&npd, today())), ["inn", "ogrn", "category"]);
}

#[test]
fn other_fields_are_checked_with_their_names() {
    let mut s = SmeInput::new(SmeKind::LegalEntity, "", "7707083893");
    s.region_code = "7".into();
    s.okved_main = "10.8x".into();
    s.hs_codes = "0303, 44071".into();
    s.phone = "12".into();
    s.email = "info@".into();
    s.registry_included_on = NaiveDate::from_ymd_opt(2030, 1, 1);
    s.pd_consent_on = Some(today());
    let errors = validate(&s, today());
    assert_eq!(
        fields(&errors),
        [
            "full_name",
            "region_code",
            "registry_included_on",
            "pd_consent_on",
            "okved_main",
            "hs_codes",
            "phone",
            "email"
        ]
    );
    assert!(errors.iter().all(|e| e.code == ErrorCode::Validation));
}

#[test]
fn add_is_atomic_audited_and_unique_by_inn() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    let bad = SmeInput::new(SmeKind::LegalEntity, "ООО «Ромашка»", "7707329153");
    let err = add(&mut conn, &ctx(), &bad).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("inn"));
    assert!(err.message.contains("контрольная сумма"));
    assert_eq!(list(&conn, &SmeQuery::default()).unwrap().total, 0);
    assert!(audit::list(&conn, None, None, 10).unwrap().is_empty());

    let good = SmeInput::new(SmeKind::LegalEntity, "  ООО «Ромашка»  ", "7707329152");
    let sme = add(&mut conn, &ctx(), &good).unwrap();
    assert_eq!(sme.input.full_name, "ООО «Ромашка»");
    assert_eq!(sme.created_at, "2025-03-15T09:30:00");
    let dup = add(
        &mut conn,
        &ctx(),
        &SmeInput::new(SmeKind::LegalEntity, "Другая", "7707329152"),
    )
    .unwrap_err();
    assert_eq!(dup.code, ErrorCode::Duplicate);
    assert!(dup.message.contains("ООО «Ромашка»"), "{}", dup.message);
    let log = audit::list(&conn, Some("sme"), Some(&sme.id.to_string()), 10).unwrap();
    assert_eq!(log.len(), 1);
    assert!(log[0].before_json.is_none());
}

#[test]
fn update_keeps_the_old_values_in_the_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    let sme = add(
        &mut conn,
        &ctx(),
        &SmeInput::new(SmeKind::LegalEntity, "ООО «Старое»", "7707329152"),
    )
    .unwrap();
    let mut input = sme.input.clone();
    input.full_name = "ООО «Новое»".into();
    update(&mut conn, &ctx(), sme.id, &input).unwrap();
    let log = audit::list(&conn, Some("sme"), None, 10).unwrap();
    assert_eq!(log.len(), 2);
    assert!(log[0].before_json.as_ref().unwrap().contains("Старое"));
    assert!(log[0].after_json.as_ref().unwrap().contains("Новое"));
    input.inn = "123".into();
    assert!(update(&mut conn, &ctx(), sme.id, &input).is_err());
    assert_eq!(get(&conn, sme.id).unwrap().input.inn, "7707329152");
}

#[test]
fn search_finds_any_part_case_insensitively_in_cyrillic() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    let mut a = SmeInput::new(SmeKind::LegalEntity, "ООО «Амурская Рыба»", "7707329152");
    a.contact_person = "Кузнецов Иван".into();
    add(&mut conn, &ctx(), &a).unwrap();
    add(
        &mut conn,
        &ctx(),
        &SmeInput::new(SmeKind::SelfEmployed, "Сидорова Анна", "500100732259"),
    )
    .unwrap();
    let find = |text: &str| {
        list(
            &conn,
            &SmeQuery {
                text: text.into(),
                ..Default::default()
            },
        )
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.full_name)
        .collect::<Vec<_>>()
    };
    assert_eq!(find("амурская"), ["ООО «Амурская Рыба»"]);
    assert_eq!(find("РЫБА"), ["ООО «Амурская Рыба»"]);
    assert_eq!(find("329"), ["ООО «Амурская Рыба»"]);
    assert_eq!(find("кузнец"), ["ООО «Амурская Рыба»"]);
    assert_eq!(find("0073"), ["Сидорова Анна"]);
    assert_eq!(find("%"), Vec::<String>::new());
    assert_eq!(find("").len(), 2);
    let q = SmeQuery {
        kind: Some(SmeKind::SelfEmployed),
        ..Default::default()
    };
    assert_eq!(list(&conn, &q).unwrap().total, 1);
}

#[test]
fn a_form_opened_before_a_colleagues_change_is_not_saved_over_it() {
    let (_dir, mut conn) = crate::agreement::fixture::open();
    let mut input = SmeInput::new(SmeKind::LegalEntity, "ООО «Ромашка»", "7707083893");
    let sme = add(&mut conn, &ctx(), &input).unwrap();
    // Two forms opened on the same business.
    let mark = audit::last_change(&conn, "sme", sme.id).unwrap();
    assert!(mark > 0);
    // The colleague saves first: the contact person.
    let colleague = Ctx::new("Петров П. П.", today().and_hms_opt(10, 5, 0).unwrap());
    input.contact_person = "Сидоров С. С.".into();
    conn.save_seen("sme", sme.id, Some(mark), |c| update(c, &colleague, sme.id, &input))
        .unwrap();
    // The other form still shows the old values: its save is refused, saying who and what.
    let mut mine = SmeInput::new(SmeKind::LegalEntity, "ООО «Ромашка-Экспорт»", "7707083893");
    mine.contact_person = String::new();
    let e = conn
        .save_seen("sme", sme.id, Some(mark), |c| update(c, &ctx(), sme.id, &mine))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("Петров П. П."), "{}", e.message);
    assert!(e.message.contains("2025-03-15 10:05"), "{}", e.message);
    assert!(e.message.contains("Контактное лицо"), "{}", e.message);
    assert!(
        !e.message.contains("Изменено"),
        "bookkeeping fields are not named: {}",
        e.message
    );
    assert_eq!(
        get(&conn, sme.id).unwrap().input.contact_person,
        "Сидоров С. С.",
        "nothing saved over it"
    );
    // Loaded again (a new mark), or saved over on purpose (no mark): saved.
    let again = audit::last_change(&conn, "sme", sme.id).unwrap();
    conn.save_seen("sme", sme.id, Some(again), |c| update(c, &ctx(), sme.id, &mine))
        .unwrap();
    assert_eq!(get(&conn, sme.id).unwrap().input.full_name, "ООО «Ромашка-Экспорт»");
}

#[test]
fn names_and_contacts_are_bounded_so_every_engine_can_index_them() {
    let (_dir, mut conn) = crate::agreement::fixture::open();
    let long = format!("ООО «{}»", "Очень длинное наименование ".repeat(12));
    let e = add(
        &mut conn,
        &ctx(),
        &SmeInput::new(SmeKind::LegalEntity, &long, "7707083893"),
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("full_name"));
    assert!(e.message.contains("не длиннее 300 символов"), "{}", e.message);
    // Within the limits in letters, but in a script of three bytes a letter.
    let mut input = SmeInput::new(
        SmeKind::LegalEntity,
        &format!("ООО «{}»", "北".repeat(290)),
        "7707083893",
    );
    input.short_name = "京".repeat(150);
    input.contact_person = "東".repeat(100);
    input.head_name = "西".repeat(100);
    let e = add(&mut conn, &ctx(), &input).unwrap_err();
    assert!(e.message.contains("слишком длинные"), "{}", e.message);
    assert_eq!(list(&conn, &SmeQuery::default()).unwrap().total, 0, "nothing saved");
    // The longest that passes is saved on either engine (the server's sort index takes it).
    let mut input = SmeInput::new(
        SmeKind::LegalEntity,
        &format!("ООО «{}»", "Ж".repeat(292)),
        "7707083893",
    );
    input.short_name = "Щ".repeat(150);
    input.contact_person = "Ю".repeat(100);
    input.head_name = "Я".repeat(100);
    input.email = format!("{}@example.ru", "a".repeat(200));
    add(&mut conn, &ctx(), &input).unwrap();
}
