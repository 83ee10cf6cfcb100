//! §6.1 is the centre's right to refuse: an agreement refusable only under §6.1.5 is signed by the head's recorded decision, never by another role or without a reason, and the decision is on the agreement and in the journal.

use super::fixture::*;
use super::*;
use crate::act::{self, ActInput, ActItemInput};
use crate::error::ErrorCode;
use crate::staff::Role;

/// A signed agreement for `service` closed by its act in April 2025.
fn closed(conn: &mut crate::db::Db, sme: i64, service: &str, n: u32) {
    let mut input = standalone(sme, None);
    input.date = day(&format!("2025-03-0{n}"));
    input.service_code = service.into();
    input.items = vec![item(service, "100000", "20000")];
    input.payment_schedule = vec![PlannedPayment {
        due_on: day("2025-03-20"),
        amount: d("20000"),
        contract_id: None,
    }];
    let a = create(conn, &ctx(&format!("2025-03-0{n}")), &input).unwrap();
    sign(
        conn,
        &ctx(&format!("2025-03-1{n}")),
        a.id,
        day(&format!("2025-03-1{n}")),
    )
    .unwrap();
    let on = format!("2025-04-0{n}");
    let act_input = ActInput {
        agreement_id: a.id,
        stage_id: None,
        number: String::new(),
        date: day(&on),
        items: vec![ActItemInput {
            item_code: service.into(),
            amount: d("100000"),
        }],
    };
    let made = act::add(conn, &ctx(&on), &act_input).unwrap();
    act::sign(conn, &ctx(&on), made.id, day(&on)).unwrap();
}

#[test]
fn the_head_signs_a_6_1_5_case_by_a_recorded_decision_and_nobody_else_can() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    // The §4 check of March still holds in June.
    crate::eligibility::set_recheck_days(&mut conn, &ctx("2025-03-03"), 365).unwrap();
    for service in ["4.2", "4.4", "4.5"] {
        budget(&mut conn, service, "5000000");
    }
    closed(&mut conn, sme, "4.2", 1);
    closed(&mut conn, sme, "4.4", 2);
    closed(&mut conn, sme, "4.5", 3);
    let mut fourth = standalone(sme, None);
    fourth.date = day("2025-06-02");
    let a = create(&mut conn, &ctx("2025-06-02"), &fourth).unwrap();

    let e = sign(&mut conn, &ctx("2025-06-03"), a.id, day("2025-06-03")).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("decision"), "{}", e.message);
    assert!(
        e.message.contains("п. 6.1.5") && e.message.contains("руководитель может подписать"),
        "{}",
        e.message
    );

    let specialist = ctx("2025-06-03").with_role(Role::Specialist);
    let e = sign_by_decision(&mut conn, &specialist, a.id, day("2025-06-03"), "Очень нужно").unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden);
    let e = sign_by_decision(&mut conn, &ctx("2025-06-03"), a.id, day("2025-06-03"), "  ").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("decision"));
    assert_eq!(get(&conn, a.id).unwrap().status, AgreementStatus::Draft);

    let reason = "Экспортный контракт на подписании: письмо покупателя от 01.06.2025";
    let signed = sign_by_decision(&mut conn, &ctx("2025-06-03"), a.id, day("2025-06-03"), reason).unwrap();
    assert_eq!(signed.status, AgreementStatus::Signed);
    let decision = signed.decision.expect("the decision is on the agreement");
    assert_eq!(
        (decision.paragraph.as_str(), decision.reason.as_str()),
        ("п. 6.1.5", reason)
    );
    assert_eq!(decision.decided_by, "Петрова А. С.");
    let logged: String = conn
        .query_row(
            "SELECT after_json FROM audit_log WHERE entity = 'agreement' AND entity_id = ?1 ORDER BY id DESC LIMIT 1",
            [a.id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert!(logged.contains(reason), "{logged}");

    // The archive entry of the printed agreement says why this paper was signed.
    let doc = crate::document::archive::generate(
        &mut conn,
        &ctx("2025-06-03"),
        crate::document::archive::DocumentKind::Agreement,
        a.id,
    )
    .unwrap();
    let archived = doc.decision.expect("the archive entry carries the decision");
    assert_eq!(
        (archived.paragraph.as_str(), archived.reason.as_str()),
        ("п. 6.1.5", reason)
    );
    let listed = crate::document::archive::list(&conn, &Default::default()).unwrap();
    assert!(listed.iter().any(|d| d.id == doc.id && d.decision.is_some()));
}

#[test]
fn a_decision_does_not_lift_a_hard_condition() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    budget(&mut conn, "4.2", "5000000");
    let mut input = standalone(sme, None);
    input.items = vec![item("4.2", "500000", "50000")];
    input.payment_schedule = vec![PlannedPayment {
        due_on: day("2025-03-20"),
        amount: d("50000"),
        contract_id: None,
    }];
    let a = create(&mut conn, &ctx("2025-03-06"), &input).unwrap();
    let e = sign_by_decision(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-07"), "Просим").unwrap_err();
    assert_eq!(e.code, ErrorCode::Rule);
    assert!(
        e.field.is_none(),
        "the minimum share is no right to refuse: {}",
        e.message
    );
    assert_eq!(get(&conn, a.id).unwrap().status, AgreementStatus::Draft);
}
