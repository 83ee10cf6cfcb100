//! Tests of contractors: INN by kind, duplicates, contracts.

use super::*;
use crate::agreement::fixture::{ctx, d, day, open};
use crate::error::ErrorCode;

fn org() -> ContractorInput {
    ContractorInput {
        kind: ContractorKind::Organisation,
        name: "ООО «Сертификат-Эксперт»".into(),
        inn: "7707083893".into(),
        accredited_rec: true,
        contact_person: "Иванов И. И.".into(),
        phone: "+7 900 000-00-00".into(),
        email: "info@example.ru".into(),
        group_declaration_on: Some(day("2025-01-15")),
        notes: String::new(),
    }
}

#[test]
fn contractors_are_validated_and_unique_by_inn() {
    let (_dir, mut conn) = open();
    let c = add(&mut conn, &ctx("2025-03-03"), &org()).unwrap();
    assert_eq!(list(&conn).unwrap(), vec![c.clone()]);
    assert_eq!(
        add(&mut conn, &ctx("2025-03-03"), &org()).unwrap_err().code,
        ErrorCode::Duplicate
    );
    let mut bad = org();
    bad.inn = "7707083894".into();
    assert_eq!(validate(&bad)[0].field.as_deref(), Some("inn"));
    bad.inn = "7707083893".into();
    bad.kind = ContractorKind::Individual;
    assert!(validate(&bad)[0].message.contains("12"));
    let mut changed = org();
    changed.accredited_rec = false;
    assert!(
        !update(&mut conn, &ctx("2025-03-04"), c.id, &changed)
            .unwrap()
            .input
            .accredited_rec
    );
}

#[test]
fn contracts_belong_to_a_contractor() {
    let (_dir, mut conn) = open();
    let c = add(&mut conn, &ctx("2025-03-03"), &org()).unwrap();
    let input = ContractInput {
        contractor_id: c.id,
        number: "17-К".into(),
        date: day("2025-03-05"),
        amount: d("500000"),
    };
    let k = add_contract(&mut conn, &ctx("2025-03-05"), &input).unwrap();
    assert_eq!(contracts(&conn, c.id).unwrap(), vec![k]);
    assert_eq!(
        add_contract(&mut conn, &ctx("2025-03-05"), &input).unwrap_err().code,
        ErrorCode::Duplicate
    );
    let zero = ContractInput {
        amount: d("0"),
        ..input
    };
    assert_eq!(
        add_contract(&mut conn, &ctx("2025-03-05"), &zero)
            .unwrap_err()
            .field
            .as_deref(),
        Some("amount")
    );
}

/// Migration 0025: agreements signed on a contractor's general declaration keep it as the
/// declaration of their pairs; drafts and contractors without one get none.
#[test]
fn signed_agreements_keep_their_contractors_general_declaration_as_the_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(crate::db::DB_FILE);
    {
        let old = crate::db::create_as_of(&path, "0024_catalog_support_kinds");
        old.execute_batch(
            "INSERT INTO sme (id, kind, full_name, inn, created_at, updated_at) VALUES
                 (1, 'legal_entity', 'ООО «Ромашка»', '7707083893', '2024-12-01', '2024-12-01'),
                 (2, 'legal_entity', 'ООО «Лютик»', '7736207543', '2024-12-01', '2024-12-01');
             INSERT INTO contractor (id, kind, name, inn, group_declaration_on, created_at, updated_at) VALUES
                 (1, 'organisation', 'ООО «Эксперт»', '7702070139', '2024-02-01', '2024-01-01', '2024-01-01'),
                 (2, 'organisation', 'ООО «Без заявления»', '7710140679', NULL, '2024-01-01', '2024-01-01');
             INSERT INTO catalog_version (id, effective_from, title, services_json, created_at, updated_at)
             VALUES (1, '2024-01-01', 'Каталог', '[]', '2024-01-01', '2024-01-01');
             INSERT INTO agreement (id, number, date, sme_id, catalog_version_id, service_code, status, created_at, updated_at) VALUES
                 (1, '1/2024-С', '2024-03-10', 1, 1, '4.2', 'completed', '2024-03-10', '2024-03-10'),
                 (2, '2/2024-С', '2024-04-10', 1, 1, '4.4', 'signed', '2024-04-10', '2024-04-10'),
                 (3, '3/2024-С', '2024-05-10', 2, 1, '4.2', 'draft', '2024-05-10', '2024-05-10');
             INSERT INTO agreement_item (agreement_id, item_code, cost, sme_share, centre_share, contractor_id) VALUES
                 (1, '4.2', '100', '20', '80', 1),
                 (2, '4.4', '100', '20', '80', 1),
                 (2, '4.4.x', '100', '20', '80', 2),
                 (3, '4.2', '100', '20', '80', 1);",
        )
        .unwrap();
    }
    let conn = crate::db::open(&path).unwrap();
    let d = group_declaration(&conn, 1, 1)
        .unwrap()
        .expect("the signed pair keeps its declaration");
    assert_eq!(d.declared_on, chrono::NaiveDate::from_ymd_opt(2024, 2, 1).unwrap());
    assert!(d.recorded_by.contains("общего заявления"), "{}", d.recorded_by);
    assert!(
        group_declaration(&conn, 1, 2).unwrap().is_none(),
        "no general declaration, nothing to keep"
    );
    assert!(
        group_declaration(&conn, 2, 1).unwrap().is_none(),
        "a draft's pair needs its own declaration"
    );
}

#[test]
fn a_contractor_form_opened_before_a_colleagues_change_is_not_saved_over_it() {
    let (_dir, mut conn) = open();
    let c = add(&mut conn, &ctx("2025-03-03"), &org()).unwrap();
    let mark = crate::audit::last_change(&conn, "contractor", c.id).unwrap();
    let mut theirs = org();
    theirs.phone = "+7 900 111-11-11".into();
    conn.save_seen("contractor", c.id, Some(mark), |db| {
        update(db, &ctx("2025-03-04"), c.id, &theirs)
    })
    .unwrap();
    let mut mine = org();
    mine.notes = "Договор продлён".into();
    let e = conn
        .save_seen("contractor", c.id, Some(mark), |db| {
            update(db, &ctx("2025-03-04"), c.id, &mine)
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert!(e.message.contains("Телефон"), "{}", e.message);
    assert_eq!(list(&conn).unwrap()[0].input.phone, "+7 900 111-11-11");
}
