//! Missions with cofinanced participation: an agreement of 5.4 names its event, the «не менее 3 СМСП единовременно» is counted from the event's signed agreements (signed together, or by the head's decision), and the year's plan of events is carried out by the share held.

use super::*;
use crate::agreement::fixture::{budget, ctx, d, day, eligible_sme, item, open, standalone};
use crate::agreement::{self, AgreementInput};
use crate::error::ErrorCode;

fn mission(conn: &mut Db, on: &str) -> Event {
    add(
        conn,
        &ctx("2025-03-01"),
        &EventInput {
            service_code: "5.4".into(),
            title: "Бизнес-миссия: Казахстан, Алматы".into(),
            starts_on: day(on),
            ends_on: day(on),
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

fn at_mission(sme: i64, event: Option<i64>) -> AgreementInput {
    AgreementInput {
        service_code: "5.4".into(),
        items: vec![item("5.4.b1", "300000", "0"), item("5.4.a2", "10000", "0")],
        payment_schedule: vec![],
        event_id: event,
        ..standalone(sme, None)
    }
}

#[test]
fn a_missions_three_participants_are_its_signed_agreements_not_a_typed_number() {
    let (_dir, mut conn) = open();
    budget(&mut conn, "5.4", "5000000");
    let smes: Vec<i64> = ["7707083893", "7736207543", "7736050003", "7710140679"]
        .iter()
        .map(|inn| eligible_sme(&mut conn, inn))
        .collect();
    let c = ctx("2025-03-06");
    let mut typed = at_mission(smes[0], None);
    typed.participants = Some(5);
    let e = agreement::create(&mut conn, &c, &typed).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("event_id"), "{}", e.message);

    let m = mission(&mut conn, "2025-05-20");
    let mut missing_country = m.input.clone();
    missing_country.country_code = String::new();
    assert_eq!(
        add(&mut conn, &c, &missing_country).unwrap_err().field.as_deref(),
        Some("country_code")
    );
    let drafts: Vec<i64> = smes[..3]
        .iter()
        .map(|s| {
            agreement::create(&mut conn, &c, &at_mission(*s, Some(m.id)))
                .unwrap()
                .id
        })
        .collect();
    let twice = agreement::create(&mut conn, &c, &at_mission(smes[0], Some(m.id))).unwrap_err();
    assert!(twice.message.contains("уже есть соглашение"), "{}", twice.message);
    assert_eq!(
        agreement::get(&conn, drafts[0]).unwrap().event_title.as_deref(),
        Some("Бизнес-миссия: Казахстан, Алматы")
    );

    let alone = agreement::sign(&mut conn, &c, drafts[0], day("2025-03-06")).unwrap_err();
    assert_eq!(alone.field.as_deref(), Some("decision"));
    assert!(alone.message.contains("участников 1"), "{}", alone.message);
    assert!(
        alone.message.contains("Подписать соглашения участников"),
        "{}",
        alone.message
    );
    let viewer = ctx("2025-03-06").with_role(crate::staff::Role::Viewer);
    assert_eq!(
        agreement::sign_event(&mut conn, &viewer, m.id, day("2025-03-06"))
            .unwrap_err()
            .code,
        ErrorCode::Forbidden
    );
    let signed = agreement::sign_event(&mut conn, &c, m.id, day("2025-03-06")).unwrap();
    assert_eq!(signed.len(), 3);
    let m = get(&conn, m.id).unwrap();
    assert_eq!((m.signed, m.drafts, m.min_participants), (3, 0, Some(3)));
    // A fourth joins a mission that already has its three and is signed on its own.
    let late = agreement::create(&mut conn, &c, &at_mission(smes[3], Some(m.id))).unwrap();
    agreement::sign(&mut conn, &c, late.id, day("2025-03-06")).unwrap();
    assert_eq!(
        agreement::check_agreement(&conn, late.id, day("2025-03-06"))
            .unwrap()
            .violations,
        vec![]
    );
    let cancel = set_status(&mut conn, &c, m.id, EventStatus::Cancelled).unwrap_err();
    assert!(cancel.message.contains("расторгните"), "{}", cancel.message);
    let seminar_only = add_participant(&mut conn, &c, m.id, smes[0], "").unwrap_err();
    assert!(
        seminar_only.message.contains("соглашение участника"),
        "{}",
        seminar_only.message
    );
}

#[test]
fn the_head_may_hold_a_mission_with_fewer_by_a_recorded_decision() {
    let (_dir, mut conn) = open();
    budget(&mut conn, "5.4", "5000000");
    let sme = eligible_sme(&mut conn, "7707083893");
    let m = mission(&mut conn, "2025-05-20");
    let c = ctx("2025-03-06");
    let a = agreement::create(&mut conn, &c, &at_mission(sme, Some(m.id))).unwrap();
    let specialist = ctx("2025-03-06").with_role(crate::staff::Role::Specialist);
    assert_eq!(
        agreement::sign_by_decision(&mut conn, &specialist, a.id, day("2025-03-06"), "Делегация региона")
            .unwrap_err()
            .code,
        ErrorCode::Forbidden
    );
    let signed = agreement::sign_by_decision(&mut conn, &c, a.id, day("2025-03-06"), "Делегация региона").unwrap();
    let decision = signed.decision.expect("recorded");
    assert!(decision.paragraph.contains("5.4"), "{decision:?}");
    assert_eq!(decision.reason, "Делегация региона");
}

#[test]
fn the_plan_of_events_is_carried_out_by_the_share_held() {
    let (_dir, mut conn) = open();
    let c = ctx("2025-03-01");
    let held = mission(&mut conn, "2025-04-10");
    let cancelled = mission(&mut conn, "2025-06-10");
    let pending = mission(&mut conn, "2025-11-10");
    let _late = mission(&mut conn, "2025-07-01");
    set_status(&mut conn, &ctx("2025-04-10"), held.id, EventStatus::Held).unwrap();
    set_status(&mut conn, &c, cancelled.id, EventStatus::Cancelled).unwrap();
    let p = plan::progress(&conn, 2025, day("2025-08-01")).unwrap();
    assert_eq!((p.planned, p.carried_out), (4, 1));
    assert_eq!(p.percent, Some(d("25.0")));
    assert_eq!(p.months[3].carried_out, 1);
    let missed: Vec<(&str, bool)> = p.missed.iter().map(|m| (m.title.as_str(), m.cancelled)).collect();
    assert_eq!(
        missed.len(),
        2,
        "the cancelled one and July's not marked held; November is ahead: {missed:?}"
    );
    assert!(p.missed.iter().all(|m| m.event_id != pending.id));
    assert_eq!(plan::progress(&conn, 2024, day("2025-08-01")).unwrap().percent, None);
    // The yearly report carries the plan as of the year's end.
    let y = crate::report::yearly::yearly(&conn, 2025).unwrap();
    let in_report = y.plan.expect("the plan is in the yearly report");
    assert_eq!((in_report.planned, in_report.carried_out), (4, 1));
    let pdf = crate::report::yearly_bytes(
        &conn,
        2025,
        crate::report::ReportFormat::Pdf,
        day("2026-01-10").and_hms_opt(9, 0, 0).unwrap(),
    )
    .unwrap();
    let text = crate::report::tests::pdftotext(&pdf);
    assert!(text.contains("запланировано 4, проведено 1 — 25 %"), "{text}");
}

#[test]
fn a_participants_agreement_and_act_name_the_event() {
    let (_dir, mut conn) = open();
    budget(&mut conn, "5.4", "5000000");
    let sme = eligible_sme(&mut conn, "7707083893");
    let m = mission(&mut conn, "2025-05-20");
    let a = agreement::create(&mut conn, &ctx("2025-03-06"), &at_mission(sme, Some(m.id))).unwrap();
    let doc = crate::document::records::agreement_doc(&conn, a.id).unwrap();
    assert!(
        doc.service_title
            .ends_with("мероприятие: «Бизнес-миссия: Казахстан, Алматы»"),
        "{}",
        doc.service_title
    );
}

/// From the event: the approved applications of its service are the candidates; the preview runs
/// the engine with the batch as participants; the drafts are made together or not at all.
#[test]
fn the_participants_agreements_are_made_from_the_event_after_a_preview() {
    let (_dir, mut conn) = open();
    budget(&mut conn, "5.4", "5000000");
    let apps: Vec<i64> = ["7707083893", "7736207543", "7736050003"]
        .iter()
        .map(|inn| {
            let sme = eligible_sme(&mut conn, inn);
            crate::agreement::fixture::approved_application(&mut conn, sme, "5.4", &["5.4.b1", "5.4.a2"])
        })
        .collect();
    let m = mission(&mut conn, "2025-05-20");
    assert_eq!(bulk::candidates(&conn, m.id).unwrap().len(), 3);
    let mut input = bulk::BulkInput {
        event_id: m.id,
        application_ids: apps.clone(),
        date: day("2025-03-06"),
        items: vec![item("5.4.b1", "300000", "0")],
        due_on: None,
        format: None,
        declaration_signed: true,
    };
    let lines = bulk::preview(&conn, &input, day("2025-03-06")).unwrap();
    assert!(
        lines.iter().all(|l| !l.signable && l.problems[0].contains("5.4.a2")),
        "{lines:?}"
    );
    let c = ctx("2025-03-06");
    let e = bulk::make(&mut conn, &c, &input).unwrap_err();
    assert!(
        e.message.contains("ИНН 7707083893") && e.message.contains("5.4.a2"),
        "{}",
        e.message
    );
    assert_eq!(get(&conn, m.id).unwrap().drafts, 0, "nothing made");
    input.items.push(item("5.4.a2", "10000", "0"));
    let lines = bulk::preview(&conn, &input, day("2025-03-06")).unwrap();
    assert!(
        lines.iter().all(|l| l.signable),
        "the three count as participants: {lines:?}"
    );
    let made = bulk::make(&mut conn, &c, &input).unwrap();
    assert_eq!(made.len(), 3);
    assert!(made
        .iter()
        .all(|a| a.event_id == Some(m.id) && a.application_id.is_some()));
    assert!(bulk::candidates(&conn, m.id).unwrap().is_empty());
    assert_eq!(
        agreement::sign_event(&mut conn, &c, m.id, day("2025-03-06"))
            .unwrap()
            .len(),
        3
    );
}
