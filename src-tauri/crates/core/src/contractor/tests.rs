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
