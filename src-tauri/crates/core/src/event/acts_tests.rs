//! The participants' acts of a mission made in one action: the preview names what each act will close and what stands in the way, and the batch is all or none.

use super::*;
use crate::act;
use crate::agreement::fixture::{budget, ctx, d, day, eligible_sme, item, open, standalone};
use crate::agreement::{self, AgreementInput};
use crate::error::ErrorCode;

fn mission(conn: &mut Db) -> Event {
    add(
        conn,
        &ctx("2025-03-01"),
        &EventInput {
            service_code: "5.4".into(),
            title: "Бизнес-миссия: Казахстан, Алматы".into(),
            starts_on: day("2025-05-19"),
            ends_on: day("2025-05-21"),
            format: EventFormat::InPerson,
            place: "Алматы".into(),
            country_code: "398".into(),
            city: "Алматы".into(),
            exhibition: String::new(),
            in_plan: true,
            contract_id: None,
            cost: None,
        },
    )
    .unwrap()
}

fn at_mission(sme: i64, event: i64) -> AgreementInput {
    AgreementInput {
        service_code: "5.4".into(),
        items: vec![item("5.4.b1", "300000", "0"), item("5.4.a2", "10000", "0")],
        payment_schedule: vec![],
        event_id: Some(event),
        ..standalone(sme, None)
    }
}

#[test]
fn the_participants_acts_are_previewed_then_made_together_or_not_at_all() {
    let (_dir, mut conn) = open();
    budget(&mut conn, "5.4", "5000000");
    let smes: Vec<i64> = ["7707083893", "7736207543", "7736050003", "7710140679"]
        .iter()
        .map(|inn| eligible_sme(&mut conn, inn))
        .collect();
    let c = ctx("2025-03-06");
    let m = mission(&mut conn);
    let ids: Vec<i64> = smes[..3]
        .iter()
        .map(|s| agreement::create(&mut conn, &c, &at_mission(*s, m.id)).unwrap().id)
        .collect();
    agreement::sign_event(&mut conn, &c, m.id, day("2025-03-06")).unwrap();
    let draft = agreement::create(&mut conn, &c, &at_mission(smes[3], m.id)).unwrap();
    // One participant already has an act on the registration fee.
    let later = ctx("2025-05-25");
    act::add(
        &mut conn,
        &later,
        &act::ActInput {
            agreement_id: ids[2],
            stage_id: None,
            number: String::new(),
            date: day("2025-05-21"),
            items: vec![act::ActItemInput {
                item_code: "5.4.a2".into(),
                amount: d("10000"),
            }],
        },
    )
    .unwrap();

    let early = acts::preview(&conn, m.id, day("2025-05-20")).unwrap_err();
    assert_eq!(early.field.as_deref(), Some("date"), "{}", early.message);
    assert!(early.message.contains("21.05.2025"), "{}", early.message);

    let lines = acts::preview(&conn, m.id, day("2025-05-22")).unwrap();
    assert_eq!(lines.len(), 4);
    let amounts: Vec<(i64, Decimal, usize)> = lines
        .iter()
        .map(|l| (l.agreement_id, l.amount, l.problems.len()))
        .collect();
    assert_eq!(
        amounts,
        vec![
            (ids[0], d("310000"), 0),
            (ids[1], d("310000"), 0),
            (ids[2], d("300000"), 0),
            (draft.id, d("310000"), 1)
        ]
    );
    assert!(lines[3].problems[0].contains("«Проект»"), "{:?}", lines[3].problems);

    let viewer = ctx("2025-05-25").with_role(crate::staff::Role::Viewer);
    let input = acts::ActsInput {
        event_id: m.id,
        date: day("2025-05-22"),
        agreement_ids: vec![ids[0], ids[1], ids[2], draft.id],
    };
    assert_eq!(
        acts::make(&mut conn, &viewer, &input).unwrap_err().code,
        ErrorCode::Forbidden
    );
    let refused = acts::make(&mut conn, &later, &input).unwrap_err();
    assert_eq!(refused.code, ErrorCode::Rule);
    assert!(refused.message.contains(&draft.number), "{}", refused.message);
    for id in &ids[..2] {
        assert!(
            act::list(&conn, *id).unwrap().is_empty(),
            "nothing made of a refused batch"
        );
    }

    let made = acts::make(
        &mut conn,
        &later,
        &acts::ActsInput {
            agreement_ids: ids.clone(),
            ..input
        },
    )
    .unwrap();
    let got: Vec<(i64, &str, Decimal)> = made
        .iter()
        .map(|a| (a.agreement_id, a.number.as_str(), a.amount))
        .collect();
    assert_eq!(
        got,
        vec![
            (ids[0], "1", d("310000")),
            (ids[1], "1", d("310000")),
            (ids[2], "2", d("300000"))
        ]
    );
    let again = acts::preview(&conn, m.id, day("2025-05-22")).unwrap();
    assert!(again[..3].iter().all(|l| l.items.is_empty() && l.problems.len() == 1));
}
