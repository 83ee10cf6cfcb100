//! Tests of the application status machine (every forbidden transition is rejected), the timeline, refusals and working-day deadlines, against a real SQLite file.

use super::*;
use crate::agreement::fixture::{approved_application, ctx, day, eligible_sme, move_to, open};
use crate::calendar;
use crate::error::ErrorCode;
use ApplicationStatus as S;

fn allowed_table() -> Vec<(S, S)> {
    let mut t = vec![
        (S::New, S::UnderReview),
        (S::UnderReview, S::Rework),
        (S::UnderReview, S::Approved),
        (S::Rework, S::UnderReview),
        (S::Approved, S::AgreementConcluded),
        (S::AgreementConcluded, S::InProgress),
        (S::InProgress, S::Completed),
    ];
    for from in [
        S::New,
        S::UnderReview,
        S::Rework,
        S::Approved,
        S::AgreementConcluded,
        S::InProgress,
    ] {
        t.push((from, S::RefusedByCentre));
        t.push((from, S::RefusedByApplicant));
    }
    t
}

#[test]
fn the_machine_allows_exactly_the_issue_table() {
    let table = allowed_table();
    for from in S::ALL {
        for to in S::ALL {
            let r = check_transition(from, to);
            if table.contains(&(from, to)) {
                assert!(r.is_ok(), "{from:?} → {to:?} must be allowed");
            } else {
                let e = r.expect_err(&format!("{from:?} → {to:?} must be rejected"));
                assert_eq!(e.code, ErrorCode::Rule);
                assert!(
                    e.message.contains(from.label()) && e.message.contains(to.label()),
                    "{}",
                    e.message
                );
                assert!(e.message.contains("нельзя перевести"), "{}", e.message);
            }
        }
    }
}

fn new_application(conn: &mut crate::db::Db, sme: i64) -> Application {
    add(
        conn,
        &ctx("2025-03-03"),
        &ApplicationInput {
            sme_id: sme,
            service_code: "4.2".into(),
            item_codes: vec![],
            received_on: day("2025-03-03"),
            channel: Channel::Visit,
            responsible_staff_id: None,
            comment: "принята на приёме".into(),
        },
    )
    .unwrap()
}

/// Walks an application to each manually reachable status and tries every other target from it in
/// the database: forbidden ones are rejected and change nothing.
#[test]
fn every_forbidden_transition_is_rejected_in_the_database() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let paths: Vec<Vec<S>> = vec![
        vec![],
        vec![S::UnderReview],
        vec![S::UnderReview, S::Rework],
        vec![S::UnderReview, S::Approved],
        vec![S::RefusedByApplicant],
        vec![S::UnderReview, S::Approved, S::RefusedByCentre],
    ];
    for path in paths {
        let app = new_application(&mut conn, sme);
        for step in &path {
            let refusal = (*step == S::RefusedByCentre).then(|| Refusal {
                reason: RefusalReason::Documents,
                text: "нет документов".into(),
            });
            transition(
                &mut conn,
                &ctx("2025-03-04"),
                app.id,
                &TransitionInput {
                    to: *step,
                    comment: String::new(),
                    refusal,
                },
            )
            .unwrap();
        }
        let from = get(&conn, app.id).unwrap().status;
        for to in S::ALL {
            if from.next().contains(&to) {
                continue;
            }
            let e = transition(
                &mut conn,
                &ctx("2025-03-05"),
                app.id,
                &TransitionInput {
                    to,
                    comment: String::new(),
                    refusal: None,
                },
            )
            .unwrap_err();
            assert_eq!(e.code, ErrorCode::Rule, "{from:?} → {to:?}: {}", e.message);
            assert_eq!(get(&conn, app.id).unwrap().status, from);
        }
    }
}

#[test]
fn statuses_of_the_agreement_are_not_set_by_hand() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let app = approved_application(&mut conn, sme, "4.2", &[]);
    let e = transition(
        &mut conn,
        &ctx("2025-03-06"),
        app,
        &TransitionInput {
            to: S::AgreementConcluded,
            comment: String::new(),
            refusal: None,
        },
    )
    .unwrap_err();
    assert!(e.message.contains("автоматически"), "{}", e.message);
}

#[test]
fn timeline_records_who_when_and_why_and_refusal_needs_a_reason() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let app = new_application(&mut conn, sme);
    assert_eq!(app.documents.len(), 2, "the checklist of service 4.2");
    assert_eq!(app.item_codes, vec!["4.2"]);
    move_to(&mut conn, "2025-03-04", app.id, S::UnderReview);
    let e = transition(
        &mut conn,
        &ctx("2025-03-05"),
        app.id,
        &TransitionInput {
            to: S::RefusedByCentre,
            comment: String::new(),
            refusal: None,
        },
    )
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("refusal"));
    let app = refuse(
        &mut conn,
        &ctx("2025-03-05"),
        app.id,
        RefusalReason::Documents,
        "не представлен экспортный контракт",
    )
    .unwrap();
    assert_eq!(app.status, S::RefusedByCentre);
    assert_eq!(app.refusal.as_ref().unwrap().reason, RefusalReason::Documents);
    let steps: Vec<_> = app.timeline.iter().map(|e| (e.from, e.to, e.actor.as_str())).collect();
    assert_eq!(
        steps,
        vec![
            (None, S::New, "Петрова А. С."),
            (Some(S::New), S::UnderReview, "Петрова А. С."),
            (Some(S::UnderReview), S::RefusedByCentre, "Петрова А. С."),
        ]
    );
    assert_eq!(app.timeline[0].comment, "принята на приёме");
    assert!(app.timeline[2].comment.contains("6.1.3"));
    assert_eq!(app.timeline[2].at, "2025-03-05T10:00:00");
    assert_eq!(RefusalReason::parse("6.1.4"), Some(RefusalReason::CofinancingNotPaid));
}

#[test]
fn documents_checklist_marks_received_and_missing() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let app = new_application(&mut conn, sme);
    let app = set_document(&mut conn, &ctx("2025-03-04"), app.id, 2, Some(day("2025-03-04"))).unwrap();
    assert_eq!(app.documents[0].received_on, None);
    assert_eq!(app.documents[1].received_on, Some(day("2025-03-04")));
    assert!(set_document(&mut conn, &ctx("2025-03-04"), app.id, 9, None).is_err());
}

#[test]
fn deadlines_count_working_days_and_warn_before_they_pass() {
    let cal = calendar::Calendar::shipped().unwrap();
    let s = DeadlineSettings::default();
    // Review entered on Tuesday 2025-12-30: 31 December and 1–11 January are days off, so the
    // warning comes on Monday 2026-01-12 and the deadline is Tuesday 2026-01-13.
    let dl = |today: &str| {
        deadline_for(&cal, &s, S::UnderReview, day("2025-12-30"), day(today))
            .unwrap()
            .unwrap()
    };
    assert_eq!(dl("2025-12-30").indicative_on, day("2026-01-12"));
    assert_eq!(dl("2025-12-30").normative_on, day("2026-01-13"));
    assert_eq!(dl("2026-01-09").state, DeadlineState::OnTime);
    assert_eq!(dl("2026-01-12").state, DeadlineState::Soon);
    assert_eq!(dl("2026-01-13").state, DeadlineState::Soon);
    assert_eq!(dl("2026-01-14").state, DeadlineState::Overdue);
    assert_eq!(
        deadline_for(&cal, &s, S::InProgress, day("2025-03-07"), day("2025-03-07")).unwrap(),
        None
    );
    // A year without a calendar is reported, never guessed.
    let e = deadline_for(&cal, &s, S::UnderReview, day("2031-03-07"), day("2031-03-07")).unwrap_err();
    assert!(e.message.contains("нет производственного календаря"), "{}", e.message);
}

#[test]
fn the_card_deadline_counts_working_days_left_and_follows_an_edited_day() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let a = new_application(&mut conn, sme);
    move_to(&mut conn, "2025-03-04", a.id, S::UnderReview); // Tuesday: warning 03-05, deadline 03-06
    let d = deadline_of(&conn, a.id, day("2025-03-04")).unwrap().unwrap();
    assert_eq!(d.deadline.normative_on, day("2025-03-06"));
    assert_eq!(d.working_days_left, 2);
    assert_eq!(d.days.normative, 2);
    assert!(!d.provisional, "2025 has its decree");
    let late = deadline_of(&conn, a.id, day("2025-03-10")).unwrap().unwrap();
    assert_eq!(
        (late.deadline.state, late.working_days_left),
        (DeadlineState::Overdue, -2)
    );
    // A regional day off on Thursday 03-06 moves the deadline to Friday.
    calendar::set_day(
        &mut conn,
        &ctx("2025-03-04"),
        day("2025-03-06"),
        calendar::DayKind::DayOff,
        "региональный праздник",
    )
    .unwrap();
    let moved = deadline_of(&conn, a.id, day("2025-03-04")).unwrap().unwrap();
    assert_eq!(moved.deadline.normative_on, day("2025-03-07"));
    assert_eq!(moved.working_days_left, 2);
}

#[test]
fn alerts_list_overdue_first_and_the_deadlines_are_a_setting() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let a = new_application(&mut conn, sme); // «Новая» since Monday 03-03: due 03-04
    let b = new_application(&mut conn, sme);
    move_to(&mut conn, "2025-03-04", b.id, S::UnderReview); // due 03-06, warning from 03-05
    let alerts = deadline_alerts(&conn, day("2025-03-05")).unwrap();
    let got: Vec<_> = alerts.iter().map(|x| (x.application_id, x.deadline.state)).collect();
    assert_eq!(got, vec![(a.id, DeadlineState::Overdue), (b.id, DeadlineState::Soon)]);
    assert!(deadline_alerts(&conn, day("2025-03-03")).unwrap().is_empty());
    let mut s = get_deadlines(&conn).unwrap();
    s.new = Some(DeadlineDays {
        indicative: 3,
        normative: 5,
    });
    save_deadlines(&mut conn, &ctx("2025-03-05"), &s).unwrap();
    let got: Vec<_> = deadline_alerts(&conn, day("2025-03-05"))
        .unwrap()
        .iter()
        .map(|x| x.application_id)
        .collect();
    assert_eq!(got, vec![b.id]);
    s.new = Some(DeadlineDays {
        indicative: 6,
        normative: 5,
    });
    assert!(save_deadlines(&mut conn, &ctx("2025-03-05"), &s).is_err());
}

#[test]
fn a_new_application_is_checked_against_the_catalog() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let mut input = ApplicationInput {
        sme_id: sme,
        service_code: "5.2".into(),
        item_codes: vec![],
        received_on: day("2025-03-03"),
        channel: Channel::FederalPlatform,
        responsible_staff_id: None,
        comment: String::new(),
    };
    assert_eq!(
        add(&mut conn, &ctx("2025-03-03"), &input).unwrap_err().field.as_deref(),
        Some("item_codes")
    );
    input.item_codes = vec!["4.2".into()];
    assert!(add(&mut conn, &ctx("2025-03-03"), &input)
        .unwrap_err()
        .message
        .contains("не входит"));
    input.item_codes = vec!["5.2.b1".into(), "5.2.a1".into()];
    let app = add(&mut conn, &ctx("2025-03-03"), &input).unwrap();
    assert_eq!(app.item_codes, vec!["5.2.a1", "5.2.b1"]);
    input.service_code = "9.9".into();
    assert_eq!(
        add(&mut conn, &ctx("2025-03-03"), &input).unwrap_err().field.as_deref(),
        Some("service_code")
    );
    input.service_code = "5.2".into();
    input.received_on = day("2025-03-04");
    assert_eq!(
        add(&mut conn, &ctx("2025-03-03"), &input).unwrap_err().field.as_deref(),
        Some("received_on")
    );
    assert_eq!(list(&conn, Some(S::New), Some(sme)).unwrap().len(), 1);
}

#[test]
fn an_application_is_corrected_until_its_agreement_and_keeps_received_documents() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let staff = crate::staff::add(
        &mut conn,
        &ctx("2025-03-03"),
        &crate::staff::StaffInput::new("Иванова О. П.", "", "", crate::staff::Role::Specialist),
        None,
    )
    .unwrap();
    let app = new_application(&mut conn, sme);
    set_document(&mut conn, &ctx("2025-03-04"), app.id, 1, Some(day("2025-03-04"))).unwrap();
    let mut input = ApplicationInput {
        sme_id: sme,
        service_code: "4.2".into(),
        item_codes: vec![],
        received_on: day("2025-03-03"),
        channel: Channel::Phone,
        responsible_staff_id: Some(staff.id),
        comment: String::new(),
    };
    let after = update(&mut conn, &ctx("2025-03-04"), app.id, &input).unwrap();
    assert_eq!(after.channel, Channel::Phone);
    assert_eq!(after.responsible_staff_name.as_deref(), Some("Иванова О. П."));
    assert_eq!(after.documents[0].received_on, Some(day("2025-03-04")));
    assert_eq!(after.timeline.len(), 1);
    input.responsible_staff_id = Some(999);
    assert_eq!(
        update(&mut conn, &ctx("2025-03-04"), app.id, &input)
            .unwrap_err()
            .field
            .as_deref(),
        Some("responsible_staff_id")
    );
    input.responsible_staff_id = None;
    refuse(
        &mut conn,
        &ctx("2025-03-05"),
        app.id,
        RefusalReason::NotEligible,
        "другой регион",
    )
    .unwrap();
    assert_eq!(
        update(&mut conn, &ctx("2025-03-05"), app.id, &input).unwrap_err().code,
        ErrorCode::Rule
    );
}
