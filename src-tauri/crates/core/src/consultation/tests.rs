//! The consultations journal: what a quick entry needs, the duplicate pointed out, and KPI 1 counting a business once whether it got a consultation or an act (a person not yet registered does not count).

use super::*;
use crate::agreement::fixture::{budget, ctx, d, day, eligible_sme, open, standalone};
use crate::error::ErrorCode;

fn asked(sme: Option<i64>, on: &str, topic: &str) -> ConsultationInput {
    ConsultationInput {
        date: day(on),
        sme_id: sme,
        person: String::new(),
        service_code: "1".into(),
        channel: Channel::Phone,
        topic: topic.into(),
        minutes: Some(20),
        outcome: String::new(),
        application_id: None,
    }
}

#[test]
fn a_consultation_needs_who_what_and_a_row_of_1_2_or_3_and_points_out_a_duplicate() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let c = ctx("2025-04-10");
    let first = add(
        &mut conn,
        &c,
        &asked(Some(sme), "2025-04-10", "Экспорт в Китай: сертификаты"),
    )
    .unwrap();
    assert_eq!(first.duplicate_of, None);
    assert_eq!(first.consultation.staff, "Петрова А. С.");
    let again = add(
        &mut conn,
        &c,
        &asked(Some(sme), "2025-04-10", "экспорт в китай: сертификаты "),
    )
    .unwrap();
    assert_eq!(
        again.duplicate_of,
        Some(first.consultation.id),
        "same business, topic and day"
    );
    let mut field = |input: ConsultationInput| add(&mut conn, &c, &input).unwrap_err().field;
    assert_eq!(field(asked(None, "2025-04-10", "Вопрос")).as_deref(), Some("sme_id"));
    assert_eq!(field(asked(Some(sme), "2025-04-10", "  ")).as_deref(), Some("topic"));
    assert_eq!(field(asked(Some(sme), "2025-04-11", "Вопрос")).as_deref(), Some("date"));
    let mut row = asked(Some(sme), "2025-04-10", "Вопрос");
    row.service_code = "4.2".into();
    assert_eq!(field(row).as_deref(), Some("service_code"));
    let mut long = asked(Some(sme), "2025-04-10", "Вопрос");
    long.minutes = Some(5000);
    assert_eq!(field(long).as_deref(), Some("minutes"));
    let viewer = ctx("2025-04-10").with_role(crate::staff::Role::Viewer);
    let e = add(&mut conn, &viewer, &asked(Some(sme), "2025-04-10", "Вопрос")).unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden);
    let listed = list(
        &conn,
        &ConsultationQuery {
            sme_id: Some(sme),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].sme_name.as_deref(), Some("ООО «Ромашка»"));
}

/// KPI 1 (standard 2.0 §6) and its trace: one business with a consultation and an act counts once;
/// a business with a consultation only counts; a person not yet registered does not.
#[test]
fn kpi_1_counts_a_business_once_across_consultations_and_acts() {
    let (_dir, mut conn) = open();
    budget(&mut conn, "4.2", "5000000");
    let a = eligible_sme(&mut conn, "7707083893");
    let b = eligible_sme(&mut conn, "7736207543");
    let agreement = crate::agreement::create(&mut conn, &ctx("2025-03-06"), &standalone(a, None)).unwrap();
    crate::agreement::sign(&mut conn, &ctx("2025-03-07"), agreement.id, day("2025-03-07")).unwrap();
    let act = crate::act::add(
        &mut conn,
        &ctx("2025-04-01"),
        &crate::act::ActInput {
            agreement_id: agreement.id,
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
    let c = ctx("2025-05-05");
    add(&mut conn, &c, &asked(Some(a), "2025-05-05", "Логистика")).unwrap();
    add(&mut conn, &c, &asked(Some(b), "2025-05-05", "Маркетплейсы")).unwrap();
    let mut person = asked(None, "2025-05-05", "Как стать экспортёром");
    person.person = "Иванов И. И., +7 900 000-00-00".into();
    add(&mut conn, &c, &person).unwrap();
    let r = crate::report::yearly::yearly(&conn, 2025).unwrap();
    assert_eq!(
        r.kpis.smes_supported, 2,
        "А (act and consultation) once, Б; not the person"
    );
    assert_eq!(r.months[3].kpis.smes_supported, 1, "April: А's act");
    assert_eq!(r.months[4].new_smes, 1, "May: Б is new, А is not");
    let trace = crate::report::trace::trace(&conn, 2025, &crate::report::trace::Figure::SmesSupported).unwrap();
    assert_eq!(trace.records.len(), 2, "the list behind KPI 1 equals it");
    assert!(
        trace.records.iter().any(|t| t.note == "услуги: 4.2; консультаций: 1"),
        "{:?}",
        trace.records
    );
}

/// Row 2 is «на основании заявки»: a consultation on an application is of row 2 and of the SME that
/// filed it (taken from the application when the form names none).
#[test]
fn a_consultation_on_an_application_is_row_2_for_its_sme() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let other = eligible_sme(&mut conn, "7736207543");
    let app = crate::agreement::fixture::approved_application(&mut conn, sme, "4.2", &[]);
    let c = ctx("2025-03-10");
    let mut on_app = asked(None, "2025-03-10", "Условия поставки");
    on_app.service_code = "2".into();
    on_app.application_id = Some(app);
    let r = add(&mut conn, &c, &on_app).unwrap();
    assert_eq!(r.consultation.input.sme_id, Some(sme));
    let mut row_1 = on_app.clone();
    row_1.service_code = "1".into();
    assert_eq!(
        add(&mut conn, &c, &row_1).unwrap_err().field.as_deref(),
        Some("service_code")
    );
    let mut stranger = on_app.clone();
    stranger.sme_id = Some(other);
    let e = add(&mut conn, &c, &stranger).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("sme_id"));
    assert!(e.message.contains("7707083893"), "{}", e.message);
}
