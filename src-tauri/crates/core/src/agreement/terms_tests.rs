//! Terms an agreement is signed on besides money: §4.3(3) declared for each pair of SME and contractor by the signature, and the quantities of items whose catalog terms are set in quantities (разд. 3), kept through amendments and printed.

use super::fixture::*;
use super::*;
use crate::catalog::ItemQuantity;

/// §4.3(3): the SME and each contractor of the agreement declared they are not one group of
/// persons, not later than the signature.
#[test]
fn contractors_need_their_group_declaration_to_sign() {
    use crate::contractor::{self, ContractInput, ContractorInput, ContractorKind};
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    budget(&mut conn, "4.2", "5000000");
    let mut c = ContractorInput {
        kind: ContractorKind::Organisation,
        name: "ООО «Эксперт»".into(),
        inn: "7736207543".into(),
        accredited_rec: true,
        contact_person: String::new(),
        phone: String::new(),
        email: String::new(),
        group_declaration_on: None,
        notes: String::new(),
    };
    let k = contractor::add(&mut conn, &ctx("2025-03-03"), &c).unwrap();
    let contract = contractor::add_contract(
        &mut conn,
        &ctx("2025-03-03"),
        &ContractInput {
            contractor_id: k.id,
            number: "5".into(),
            date: day("2025-03-03"),
            amount: d("500000"),
        },
    )
    .unwrap();
    let mut input = standalone(sme, None);
    input.items[0].contract_id = Some(contract.id);
    assert!(create(&mut conn, &ctx("2025-03-06"), &input)
        .unwrap_err()
        .message
        .contains("другим исполнителем"));
    input.items[0].contractor_id = Some(k.id);
    let a = create(&mut conn, &ctx("2025-03-06"), &input).unwrap();
    assert_eq!(a.items[0].contract_number.as_deref(), Some("5"));
    let e = sign(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).unwrap_err();
    assert!(e.message.contains("4.3(3)"), "{}", e.message);
    assert_eq!(e.field.as_deref(), Some("group_declaration"));
    // §4.3(3) is about this SME and this contractor: a general declaration of the contractor
    // does not stand for the pair.
    c.group_declaration_on = Some(day("2025-03-05"));
    contractor::update(&mut conn, &ctx("2025-03-07"), k.id, &c).unwrap();
    let e = sign(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).unwrap_err();
    assert!(
        e.message.contains("Нет заявления") && e.message.contains("«ООО «Эксперт»» (услуга 4.2)"),
        "{}",
        e.message
    );
    let pairs = contractor::pair_declarations(&conn, a.id).unwrap();
    assert_eq!((pairs.len(), pairs[0].declaration.is_none()), (1, true));
    // Dated in the future: refused; dated after the signature: the signature is refused.
    let e =
        contractor::record_group_declaration(&mut conn, &ctx("2025-03-07"), sme, k.id, day("2025-03-08")).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("declared_on"));
    contractor::record_group_declaration(&mut conn, &ctx("2025-03-07"), sme, k.id, day("2025-03-07")).unwrap();
    let e = sign(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-06")).unwrap_err();
    assert!(e.message.contains("позже подписания 06.03.2025"), "{}", e.message);
    // A viewer cannot record it.
    let viewer = ctx("2025-03-07").with_role(crate::staff::Role::Viewer);
    assert_eq!(
        contractor::record_group_declaration(&mut conn, &viewer, sme, k.id, day("2025-03-05"))
            .unwrap_err()
            .code,
        crate::error::ErrorCode::Forbidden
    );
    let d = contractor::record_group_declaration(&mut conn, &ctx("2025-03-07"), sme, k.id, day("2025-03-05")).unwrap();
    assert_eq!(d.declared_on, day("2025-03-05"));
    sign(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-06")).unwrap();
    let logged: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE entity = 'group_declaration'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(logged, 2, "the first date and its correction are both in the journal");
}

/// Разд. 3 in quantities through the whole agreement: a 5.5 accommodation item is refused at
/// signing while its guests × days do not cover the cost, signed once they do, keeps its
/// quantities through an amendment that states none, and prints them on the agreement.
#[test]
fn item_quantities_are_checked_at_signing_kept_by_amendments_and_printed() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    budget(&mut conn, "5.5", "5000000");
    let mut input = standalone(sme, None);
    input.service_code = "5.5".into();
    input.items = vec![
        item("5.5.b1", "10000", "0"),
        item("5.5.b2", "10000", "0"),
        item("5.5.b3", "10000", "0"),
        item("5.5.a5", "30000", "0"),
    ];
    input.payment_schedule = vec![];
    input.items[3].quantity = ItemQuantity {
        guests: Some(2),
        days: Some(2),
        ..Default::default()
    };
    let a = create(&mut conn, &ctx("2025-03-06"), &input).unwrap();
    let e = sign(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).unwrap_err();
    assert!(
        e.message.contains("5.5.a5") && e.message.contains("2 чел. × 2 сут."),
        "{}",
        e.message
    );
    input.items[3].quantity.days = Some(3);
    update_draft(&mut conn, &ctx("2025-03-07"), a.id, &input).unwrap();
    let signed = sign(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).unwrap();
    assert_eq!(signed.item("5.5.a5").unwrap().quantity.days, Some(3));

    let mut terms = signed.terms().items;
    terms[3].quantity = ItemQuantity::default();
    terms[3].cost = d("29000");
    let amended = amend(
        &mut conn,
        &ctx("2025-04-01"),
        a.id,
        &AmendmentInput {
            number: "1".into(),
            date: day("2025-04-01"),
            items: terms,
            payment_schedule: None,
        },
    )
    .unwrap();
    let kept = &amended.item("5.5.a5").unwrap().quantity;
    assert_eq!((kept.guests, kept.days), (Some(2), Some(3)));
    let doc = crate::document::records::agreement_doc(&conn, a.id).unwrap();
    assert!(
        doc.items.iter().any(|i| i.title.ends_with("(2 чел. × 3 сут.)")),
        "{:?}",
        doc.items.iter().map(|i| &i.title).collect::<Vec<_>>()
    );
}

/// §6.1.4: «в срок, установленный соглашением или договором … с подрядной организацией» — a
/// planned payment may take its deadline from the contract of one of the agreement's items; the
/// overdue list and the refusal name that contract, and a contract of no item is refused.
#[test]
fn a_payment_deadline_may_come_from_the_contractors_contract() {
    use crate::contractor::{self, ContractInput, ContractorInput, ContractorKind};
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    budget(&mut conn, "4.2", "5000000");
    let k = contractor::add(
        &mut conn,
        &ctx("2025-03-03"),
        &ContractorInput {
            kind: ContractorKind::Organisation,
            name: "ООО «Эксперт»".into(),
            inn: "7736207543".into(),
            accredited_rec: true,
            contact_person: String::new(),
            phone: String::new(),
            email: String::new(),
            group_declaration_on: None,
            notes: String::new(),
        },
    )
    .unwrap();
    let contract = contractor::add_contract(
        &mut conn,
        &ctx("2025-03-03"),
        &ContractInput {
            contractor_id: k.id,
            number: "17-С".into(),
            date: day("2025-03-03"),
            amount: d("900000"),
        },
    )
    .unwrap();
    let mut input = standalone(sme, None);
    input.payment_schedule[0].contract_id = Some(contract.id + 100);
    let e = create(&mut conn, &ctx("2025-03-06"), &input).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("payment_schedule"), "{}", e.message);
    input.items[0].contractor_id = Some(k.id);
    input.items[0].contract_id = Some(contract.id);
    input.payment_schedule[0].contract_id = Some(contract.id);
    let a = create(&mut conn, &ctx("2025-03-06"), &input).unwrap();
    assert_eq!(a.payment_schedule[0].contract_id, Some(contract.id));
    crate::contractor::record_group_declaration(&mut conn, &ctx("2025-03-07"), sme, k.id, day("2025-03-07")).unwrap();
    sign(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).unwrap();
    let late = crate::payment::overdue(&conn, day("2025-03-25")).unwrap();
    assert_eq!(
        late[0].deadline_source,
        "по договору с исполнителем «ООО «Эксперт»» № 17-С"
    );
    let done = crate::payment::refuse_for_nonpayment(&mut conn, &ctx("2025-03-25"), a.id, day("2025-03-25")).unwrap();
    assert!(
        done.termination_reason
            .contains("(срок по договору с исполнителем «ООО «Эксперт»» № 17-С)"),
        "{}",
        done.termination_reason
    );
}

/// 5.7 names its format; an individual stand (§5.5.4) is not signed on a typed protocol (the
/// selection won is in `selection::tests`), and the printed agreement names the format.
#[test]
fn an_exhibition_agreement_names_its_format_and_an_individual_stand_its_selection() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    budget(&mut conn, "5.7", "5000000");
    let mut input = standalone(sme, None);
    input.service_code = "5.7".into();
    input.items = vec![item("5.7.b1", "10000", "0"), item("5.7.b2", "400000", "0")];
    input.items[1].quantity.area_m2 = Some(d("9"));
    input.payment_schedule = vec![];
    input.format = Some("abroad_individual".into());
    let a = create(&mut conn, &ctx("2025-03-06"), &input).unwrap();
    assert_eq!(
        a.format_name.as_deref(),
        Some("за пределами территории Российской Федерации с индивидуальным стендом")
    );
    let e = sign(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).unwrap_err();
    assert!(
        e.message.contains("п. 5.5.4") || e.message.contains("конкурсной основе"),
        "{}",
        e.message
    );
    // A typed protocol is no selection won: the winners are the selection's records (crate::selection).
    input.selection = Some("  Протокол № 3 от 25.02.2025 ".into());
    update_draft(&mut conn, &ctx("2025-03-07"), a.id, &input).unwrap();
    assert!(sign(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).is_err());
    let doc = crate::document::records::agreement_doc(&conn, a.id).unwrap();
    assert!(
        doc.service_title
            .ends_with("формат: за пределами территории Российской Федерации с индивидуальным стендом"),
        "{}",
        doc.service_title
    );
}
