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
    let apps: Vec<i64> = ["7707083893", "7736207543"]
        .iter()
        .map(|inn| {
            let sme = eligible_sme(&mut conn, inn);
            crate::agreement::fixture::approved_application(&mut conn, sme, "5.4", &["5.4.b1", "5.4.a2"])
        })
        .collect();
    // The third joins from the event itself: its application is made with its agreement.
    let walk_in = eligible_sme(&mut conn, "7736050003");
    let m = mission(&mut conn, "2025-05-20");
    assert_eq!(bulk::candidates(&conn, m.id).unwrap().len(), 2);
    let mut input = bulk::BulkInput {
        event_id: m.id,
        application_ids: apps.clone(),
        new_sme_ids: vec![walk_in],
        channel: crate::application::Channel::Email,
        date: day("2025-03-06"),
        items: vec![item("5.4.b1", "300000", "0")],
        due_on: None,
        format: None,
        declaration_signed: true,
    };
    let lines = bulk::preview(&conn, &input, day("2025-03-06")).unwrap();
    assert!(
        lines[..2]
            .iter()
            .all(|l| !l.signable && l.problems[0].contains("5.4.a2")),
        "{lines:?}"
    );
    assert_eq!((lines[2].application_id, lines[2].inn.as_str()), (None, "7736050003"));
    assert!(
        lines[2].problems[0].contains("дополнительной услуги"),
        "the new participant asks for the items given, and the engine checks them: {lines:?}"
    );
    let c = ctx("2025-03-06");
    let e = bulk::make(&mut conn, &c, &input).unwrap_err();
    assert!(
        e.message.contains("ИНН 7707083893") && e.message.contains("5.4.a2"),
        "{}",
        e.message
    );
    assert_eq!(get(&conn, m.id).unwrap().drafts, 0, "nothing made");
    assert!(
        crate::application::list(&conn, None, Some(walk_in)).unwrap().is_empty(),
        "no application registered by a refused batch"
    );
    let viewer = ctx("2025-03-06").with_role(crate::staff::Role::Viewer);
    assert_eq!(
        bulk::make(&mut conn, &viewer, &input).unwrap_err().code,
        ErrorCode::Forbidden
    );
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
    let enrolled = crate::application::list(&conn, None, Some(walk_in)).unwrap();
    assert_eq!(enrolled.len(), 1);
    let enrolled = crate::application::get(&conn, enrolled[0].id).unwrap();
    assert_eq!(
        (enrolled.received_on, enrolled.item_codes.len()),
        (day("2025-03-06"), 2)
    );
    assert!(
        enrolled.timeline.iter().any(|t| t.comment.contains("Бизнес-миссия")),
        "{:?}",
        enrolled.timeline
    );
    input.application_ids.clear();
    let again = bulk::preview(&conn, &input, day("2025-03-06")).unwrap();
    assert!(
        again[0].problems.iter().any(|p| p.contains("уже есть соглашение")),
        "{again:?}"
    );
    assert_eq!(
        agreement::sign_event(&mut conn, &c, m.id, day("2025-03-06"))
            .unwrap()
            .len(),
        3
    );
}

/// KPI 1 on a hand-built year with overlaps: one business with an act, a consultation and a
/// seminar attended counts once; a business registered for the seminar but absent does not; a
/// consultation with a person not yet registered does not.
#[test]
fn kpi_1_counts_a_business_once_across_acts_consultations_and_seminars() {
    use crate::consultation::{self, ConsultationInput};
    let (_dir, mut conn) = open();
    budget(&mut conn, "4.2", "5000000");
    let both = eligible_sme(&mut conn, "7707083893");
    let absent = eligible_sme(&mut conn, "7736207543");
    let a = agreement::create(&mut conn, &ctx("2025-03-06"), &standalone(both, None)).unwrap();
    agreement::sign(&mut conn, &ctx("2025-03-07"), a.id, day("2025-03-07")).unwrap();
    let act = crate::act::add(
        &mut conn,
        &ctx("2025-04-01"),
        &crate::act::ActInput {
            agreement_id: a.id,
            stage_id: None,
            number: String::new(),
            date: day("2025-04-01"),
            items: vec![crate::act::ActItemInput {
                item_code: "4.2".into(),
                amount: d("500000"),
            }],
        },
    )
    .unwrap();
    crate::act::sign(&mut conn, &ctx("2025-04-01"), act.id, day("2025-04-01")).unwrap();
    let asked = |sme: Option<i64>, person: &str| ConsultationInput {
        date: day("2025-05-05"),
        sme_id: sme,
        person: person.into(),
        service_code: "1".into(),
        channel: crate::application::Channel::Phone,
        topic: "Экспорт в Китай".into(),
        minutes: None,
        outcome: String::new(),
        application_id: None,
    };
    let c = ctx("2025-05-05");
    consultation::add(&mut conn, &c, &asked(Some(both), "")).unwrap();
    consultation::add(&mut conn, &c, &asked(None, "Иванов И. И., +7 900 000-00-00")).unwrap();
    let s = add(
        &mut conn,
        &c,
        &EventInput {
            service_code: "4.1.2".into(),
            title: "Семинар".into(),
            starts_on: day("2025-05-05"),
            ends_on: day("2025-05-05"),
            format: EventFormat::InPerson,
            place: String::new(),
            country_code: String::new(),
            city: String::new(),
            exhibition: String::new(),
            in_plan: false,
            contract_id: None,
            cost: None,
        },
    )
    .unwrap();
    let p = add_participant(&mut conn, &c, s.id, both, "").unwrap();
    add_participant(&mut conn, &c, s.id, absent, "").unwrap();
    mark_attendance(&mut conn, &c, p.id, true).unwrap();
    let y = crate::report::yearly::yearly(&conn, 2025).unwrap();
    assert_eq!(y.kpis.smes_supported, 1);
    let trace = crate::report::trace::trace(&conn, 2025, &crate::report::trace::Figure::SmesSupported).unwrap();
    assert_eq!(trace.records.len(), 1);
    assert_eq!(trace.records[0].note, "услуги: 4.2; консультаций: 1; мероприятий: 1");
}

/// 5.9 (an accelerator's format with «не менее 10»): nine drafts signed together are refused, the
/// tenth makes them signable together.
#[test]
fn an_accelerator_of_ten_is_signed_when_the_tenth_joins() {
    let (_dir, mut conn) = open();
    budget(&mut conn, "5.9", "5000000");
    let c = ctx("2025-03-06");
    let acc = add(
        &mut conn,
        &ctx("2025-03-01"),
        &EventInput {
            service_code: "5.9".into(),
            title: "Акселератор «Экспортный рывок»".into(),
            starts_on: day("2025-05-20"),
            ends_on: day("2025-07-20"),
            format: EventFormat::Mixed,
            place: String::new(),
            country_code: String::new(),
            city: String::new(),
            exhibition: String::new(),
            in_plan: false,
            contract_id: None,
            cost: None,
        },
    )
    .unwrap();
    assert_eq!(get(&conn, acc.id).unwrap().min_participants, Some(10));
    let mut drafts = Vec::new();
    for n in 0..10 {
        let inn = crate::ident::complete_inn10(&format!("77070010{n}"));
        let sme = eligible_sme(&mut conn, &inn);
        let input = AgreementInput {
            service_code: "5.9".into(),
            items: vec![item("5.9.f1", "1", "0")],
            payment_schedule: vec![],
            event_id: Some(acc.id),
            ..standalone(sme, None)
        };
        drafts.push(agreement::create(&mut conn, &c, &input).unwrap().id);
    }
    let nine = agreement::sign_together(&mut conn, &c, &drafts[..9], day("2025-03-06")).unwrap_err();
    assert!(nine.message.contains("участников 9"), "{}", nine.message);
    assert_eq!(
        agreement::sign_event(&mut conn, &c, acc.id, day("2025-03-06"))
            .unwrap()
            .len(),
        10
    );

    // A partner programme (format 3) has no minimum: its card shows none once its agreement names it.
    let same = get(&conn, acc.id).unwrap().input;
    let partner = add(
        &mut conn,
        &ctx("2025-03-01"),
        &EventInput {
            title: "Партнёрская программа".into(),
            ..same
        },
    )
    .unwrap();
    assert_eq!(
        partner.min_participants,
        Some(10),
        "before any agreement: the row's largest"
    );
    let sme = eligible_sme(&mut conn, "7707083893");
    let input = AgreementInput {
        service_code: "5.9".into(),
        items: vec![item("5.9.f3", "100000", "20000")],
        payment_schedule: vec![agreement::PlannedPayment {
            due_on: day("2025-03-20"),
            amount: d("20000"),
            contract_id: None,
        }],
        event_id: Some(partner.id),
        ..standalone(sme, None)
    };
    agreement::create(&mut conn, &c, &input).unwrap();
    assert_eq!(get(&conn, partner.id).unwrap().min_participants, None);
}
