//! The competitive selection (§5.5.4): held by 1 March (an additional one by 1 September), applications by the deadline, scores within each criterion's maximum, the ranking and winners in a protocol PDF — and an individual stand signed only with a winner of that exhibition's selection.

use super::*;
use crate::agreement::fixture::{budget, ctx, d, day, eligible_sme, item, open, standalone};
use crate::event::{EventFormat, EventInput};

fn exhibition(conn: &mut Db) -> i64 {
    crate::event::add(
        conn,
        &ctx("2025-01-10"),
        &EventInput {
            service_code: "5.7".into(),
            title: "Выставка «Продэкспо-2025»".into(),
            starts_on: day("2025-06-10"),
            ends_on: day("2025-06-13"),
            format: EventFormat::InPerson,
            place: "Астана, МВЦ «EXPO»".into(),
            country_code: "398".into(),
            city: "Астана".into(),
            exhibition: "Продэкспо-2025".into(),
            in_plan: true,
            contract_id: None,
            cost: None,
        },
    )
    .unwrap()
    .id
}

fn announced(event_id: i64) -> SelectionInput {
    SelectionInput {
        event_id,
        additional: false,
        announced_on: day("2025-01-15"),
        deadline: day("2025-02-10"),
        criteria: vec![
            ScoreCriterion {
                name: "Экспортный потенциал продукции".into(),
                max_score: 10,
            },
            ScoreCriterion {
                name: "Готовность к переговорам".into(),
                max_score: 5,
            },
        ],
        places: 2,
    }
}

#[test]
fn a_selection_ranks_the_scored_applications_and_names_its_winners_in_a_protocol() {
    let (_dir, mut conn) = open();
    let smes: Vec<i64> = ["7707083893", "7736207543", "7736050003"]
        .iter()
        .map(|inn| eligible_sme(&mut conn, inn))
        .collect();
    let ex = exhibition(&mut conn);
    let c = ctx("2025-01-15");
    let mut late = announced(ex);
    late.deadline = day("2025-03-01");
    assert_eq!(
        add(&mut conn, &c, &late).unwrap_err().field.as_deref(),
        Some("deadline")
    );
    let mut second = late.clone();
    second.additional = true;
    second.announced_on = day("2025-07-01");
    second.deadline = day("2025-08-15");
    assert!(
        add(&mut conn, &ctx("2025-07-01"), &second).is_ok(),
        "an additional one runs to 1 September"
    );
    let mut no_criteria = announced(ex);
    no_criteria.criteria.clear();
    assert_eq!(
        add(&mut conn, &c, &no_criteria).unwrap_err().field.as_deref(),
        Some("criteria")
    );
    let s = add(&mut conn, &c, &announced(ex)).unwrap();
    assert_eq!(s.due_on, day("2025-03-01"));

    let on = ctx("2025-02-20");
    let a = apply(&mut conn, &on, s.id, smes[0], day("2025-02-01")).unwrap();
    let b = apply(&mut conn, &on, s.id, smes[1], day("2025-01-20")).unwrap();
    let z = apply(&mut conn, &on, s.id, smes[2], day("2025-02-05")).unwrap();
    assert_eq!(
        apply(&mut conn, &on, s.id, smes[0], day("2025-02-01"))
            .unwrap_err()
            .code,
        ErrorCode::Duplicate
    );
    assert_eq!(
        apply(&mut conn, &on, s.id, smes[0], day("2025-02-11"))
            .unwrap_err()
            .field
            .as_deref(),
        Some("submitted_on")
    );
    assert_eq!(
        score(&mut conn, &on, a.id, &[11, 5]).unwrap_err().field.as_deref(),
        Some("scores")
    );
    assert_eq!(
        score(&mut conn, &on, a.id, &[9]).unwrap_err().field.as_deref(),
        Some("scores")
    );
    score(&mut conn, &on, a.id, &[8, 4]).unwrap();
    score(&mut conn, &on, b.id, &[7, 5]).unwrap();
    let unscored = decide(&mut conn, &on, s.id, "3", day("2025-02-20")).unwrap_err();
    assert!(unscored.message.contains("не оценена"), "{}", unscored.message);
    score(&mut conn, &on, z.id, &[9, 1]).unwrap();
    assert_eq!(
        decide(&mut conn, &ctx("2025-03-05"), s.id, "3", day("2025-03-02"))
            .unwrap_err()
            .field
            .as_deref(),
        Some("decided_on"),
        "decided by 1 March"
    );
    let decided = decide(&mut conn, &on, s.id, " 3 ", day("2025-02-20")).unwrap();
    // 12, 12 and 10 points: the equal totals ranked by the earlier application.
    let order: Vec<(i64, Option<u32>, bool)> = decided
        .candidates
        .iter()
        .map(|c| (c.sme_id, c.rank, c.winner))
        .collect();
    assert_eq!(
        order,
        vec![
            (smes[1], Some(1), true),
            (smes[0], Some(2), true),
            (smes[2], Some(3), false)
        ]
    );
    assert!(
        apply(&mut conn, &on, s.id, smes[2], day("2025-02-01")).is_err(),
        "closed by the protocol"
    );
    assert_eq!(
        won(&conn, ex, smes[0]).unwrap().as_deref(),
        Some("протокол конкурсного отбора № 3 от 20.02.2025")
    );
    assert_eq!(won(&conn, ex, smes[2]).unwrap(), None);

    let text = crate::report::tests::pdftotext(
        &protocol::pdf(&conn, s.id, day("2025-02-20").and_hms_opt(9, 0, 0).unwrap()).unwrap(),
    );
    for expected in [
        "ПРОТОКОЛ № 3",
        "Продэкспо-2025",
        "победитель",
        "не прошёл",
        "ИНН 7736050003",
        "Готовность к",
    ] {
        assert!(text.contains(expected), "{expected} missing in:\n{text}");
    }
    let viewer = ctx("2025-02-20").with_role(crate::staff::Role::Viewer);
    assert_eq!(
        add(&mut conn, &viewer, &announced(ex)).unwrap_err().code,
        ErrorCode::Forbidden
    );
}

/// An individual stand at the exhibition is signed only with a winner of its selection (§5.5.4);
/// the signed agreement names the protocol.
#[test]
fn an_individual_stand_is_signed_only_with_a_winner_of_that_exhibitions_selection() {
    let (_dir, mut conn) = open();
    budget(&mut conn, "5.7", "5000000");
    let winner = eligible_sme(&mut conn, "7707083893");
    let loser = eligible_sme(&mut conn, "7736207543");
    let ex = exhibition(&mut conn);
    let c = ctx("2025-02-20");
    let mut one_place = announced(ex);
    one_place.places = 1;
    let s = add(&mut conn, &ctx("2025-01-15"), &one_place).unwrap();
    let w = apply(&mut conn, &c, s.id, winner, day("2025-01-20")).unwrap();
    let l = apply(&mut conn, &c, s.id, loser, day("2025-01-21")).unwrap();
    score(&mut conn, &c, w.id, &[9, 5]).unwrap();
    score(&mut conn, &c, l.id, &[3, 2]).unwrap();
    decide(&mut conn, &c, s.id, "3", day("2025-02-20")).unwrap();

    let stand = |sme: i64| {
        let mut input = standalone(sme, None);
        input.service_code = "5.7".into();
        input.date = day("2025-03-06");
        input.items = vec![item("5.7.b1", "10000", "0"), item("5.7.b2", "400000", "0")];
        input.items[1].quantity.area_m2 = Some(d("9"));
        input.payment_schedule = vec![];
        input.format = Some("abroad_individual".into());
        input.event_id = Some(ex);
        input
    };
    let on = ctx("2025-03-07");
    let lost = crate::agreement::create(&mut conn, &on, &stand(loser)).unwrap();
    let e = crate::agreement::sign(&mut conn, &on, lost.id, day("2025-03-07")).unwrap_err();
    assert!(
        e.message.contains("п. 5.5.4") && e.message.contains("победител"),
        "{}",
        e.message
    );
    let mut typed = stand(loser);
    typed.selection = Some("Протокол № 3 от 25.02.2025".into());
    crate::agreement::update_draft(&mut conn, &on, lost.id, &typed).unwrap();
    assert!(
        crate::agreement::sign(&mut conn, &on, lost.id, day("2025-03-07")).is_err(),
        "a typed protocol is not a won selection"
    );
    let a = crate::agreement::create(&mut conn, &on, &stand(winner)).unwrap();
    let signed = crate::agreement::sign(&mut conn, &on, a.id, day("2025-03-07")).unwrap();
    assert_eq!(
        signed.selection.as_deref(),
        Some("протокол конкурсного отбора № 3 от 20.02.2025")
    );
}
