//! Events of 4.1.x: the record and its statuses, participants registered and marked present, a list imported with an error per row, the attendance sheet as a real PDF, and attendance — not registration — counted as support in KPI 1 and in the registry of recipients.

use super::participants::participants;
use super::*;
use crate::agreement::fixture::{ctx, d, day, eligible_sme, open};
use crate::error::ErrorCode;
use crate::sme::import_table::read_csv_bytes;

fn seminar(on: &str) -> EventInput {
    EventInput {
        service_code: "4.1.2".into(),
        title: "Экспорт в Казахстан: таможня и валютный контроль".into(),
        starts_on: day(on),
        ends_on: day(on),
        format: EventFormat::InPerson,
        place: "г. Тверь, ул. Советская, 1, конференц-зал".into(),
        country_code: String::new(),
        city: String::new(),
        exhibition: String::new(),
        in_plan: false,
        contract_id: None,
        cost: Some(d("45000")),
    }
}

#[test]
fn an_event_needs_a_row_of_4_1_a_title_and_dates_in_order_and_moves_through_its_statuses() {
    let (_dir, mut conn) = open();
    let c = ctx("2025-04-01");
    let e = add(&mut conn, &c, &seminar("2025-04-15")).unwrap();
    assert_eq!(e.status, EventStatus::Planned);
    assert_eq!(e.input.cost, Some(d("45000")));
    assert_eq!(e.organiser, "", "the centre organises it");
    let mut field = |input: EventInput| add(&mut conn, &c, &input).unwrap_err().field;
    let mut row = seminar("2025-04-15");
    row.service_code = "4.2".into();
    assert_eq!(field(row).as_deref(), Some("service_code"));
    let mut untitled = seminar("2025-04-15");
    untitled.title = "  ".into();
    assert_eq!(field(untitled).as_deref(), Some("title"));
    let mut backwards = seminar("2025-04-15");
    backwards.ends_on = day("2025-04-14");
    assert_eq!(field(backwards).as_deref(), Some("ends_on"));
    let mut negative = seminar("2025-04-15");
    negative.cost = Some(d("-1"));
    assert_eq!(field(negative).as_deref(), Some("cost"));
    let mut huge = seminar("2025-04-15");
    huge.cost = Some(d("1e20"));
    assert_eq!(field(huge).as_deref(), Some("cost"));
    let mut nobody = seminar("2025-04-15");
    nobody.contract_id = Some(999);
    assert_eq!(add(&mut conn, &c, &nobody).unwrap_err().code, ErrorCode::NotFound);

    let early = set_status(&mut conn, &c, e.id, EventStatus::Held).unwrap_err();
    assert!(early.message.contains("15.04.2025"), "{}", early.message);
    let reg = set_status(&mut conn, &c, e.id, EventStatus::Registration).unwrap();
    assert_eq!(reg.status, EventStatus::Registration);
    let back = set_status(&mut conn, &c, e.id, EventStatus::Planned).unwrap_err();
    assert_eq!(back.code, ErrorCode::Rule);
    let held = set_status(&mut conn, &ctx("2025-04-15"), e.id, EventStatus::Held).unwrap();
    assert_eq!(held.status, EventStatus::Held);
    let closed = set_status(&mut conn, &ctx("2025-04-16"), e.id, EventStatus::Closed).unwrap();
    let mut renamed = closed.input.clone();
    renamed.title = "Другое".into();
    let frozen = update(&mut conn, &c, e.id, &renamed).unwrap_err();
    assert_eq!(frozen.code, ErrorCode::Rule);
    assert!(frozen.message.contains("закрыто"), "{}", frozen.message);

    let viewer = ctx("2025-04-01").with_role(crate::staff::Role::Viewer);
    assert_eq!(
        add(&mut conn, &viewer, &seminar("2025-05-15")).unwrap_err().code,
        ErrorCode::Forbidden
    );
    let journal = crate::audit::list(&conn, Some("event"), Some(&e.id.to_string()), 10).unwrap();
    assert_eq!(journal.len(), 4, "created and three status changes");
}

#[test]
fn participants_register_and_attendance_is_marked_from_the_first_day_and_kept_from_slips() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let c = ctx("2025-04-01");
    let e = add(&mut conn, &c, &seminar("2025-04-15")).unwrap();
    let p = add_participant(&mut conn, &c, e.id, sme, "  Иванов   Иван ").unwrap();
    assert_eq!(p.attendee, "Иванов Иван");
    assert!(!p.attended);
    let twice = add_participant(&mut conn, &c, e.id, sme, "Иванов Иван").unwrap_err();
    assert_eq!(twice.code, ErrorCode::Duplicate);
    assert!(twice.message.contains("уже в списке"), "{}", twice.message);
    let colleague = add_participant(&mut conn, &c, e.id, sme, "Петрова Анна").unwrap();
    assert_eq!(get(&conn, e.id).unwrap().registered, 1, "one business, two people");

    let early = mark_attendance(&mut conn, &c, p.id, true).unwrap_err();
    assert!(early.message.contains("15.04.2025"), "{}", early.message);
    let on_the_day = ctx("2025-04-15");
    assert!(mark_attendance(&mut conn, &on_the_day, p.id, true).unwrap().attended);
    let e = get(&conn, e.id).unwrap();
    assert_eq!(e.status, EventStatus::Held, "the first mark tells the event took place");
    assert_eq!(e.attended, 1);
    let kept = remove_participant(&mut conn, &on_the_day, p.id).unwrap_err();
    assert!(kept.message.contains("снимите отметку"), "{}", kept.message);
    remove_participant(&mut conn, &on_the_day, colleague.id).unwrap();
    assert_eq!(participants(&conn, e.id).unwrap().len(), 1);
    let cancel = set_status(&mut conn, &on_the_day, e.id, EventStatus::Cancelled).unwrap_err();
    assert_eq!(cancel.code, ErrorCode::Rule, "held events are not cancelled");
    let mut moved = e.input.clone();
    moved.starts_on = day("2025-04-16");
    moved.ends_on = day("2025-04-16");
    assert_eq!(
        update(&mut conn, &on_the_day, e.id, &moved)
            .unwrap_err()
            .field
            .as_deref(),
        Some("starts_on")
    );
    set_status(&mut conn, &ctx("2025-04-16"), e.id, EventStatus::Closed).unwrap();
    let late = mark_attendance(&mut conn, &ctx("2025-04-17"), p.id, false).unwrap_err();
    assert!(late.message.contains("больше не меняется"), "{}", late.message);
}

#[test]
fn a_list_of_participants_is_taken_row_by_row_and_the_bad_rows_come_back_with_what_to_do() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let c = ctx("2025-04-15");
    let e = add(&mut conn, &c, &seminar("2025-04-15")).unwrap();
    add_participant(&mut conn, &c, e.id, sme, "Иванов Иван").unwrap();
    let csv = "ФИО участника;ИНН организации;Присутствовал\n\
               Иванов Иван;7707083893;да\n\
               Сидоров Пётр;7707 083893;нет\n\
               Кто-то;1234567890;да\n\
               Никто;7736207543;да\n\
               Странный;7707083893;может быть\n";
    let table = read_csv_bytes(csv.as_bytes()).unwrap();
    let r = import_participants(&mut conn, &c, e.id, &table).unwrap();
    assert_eq!((r.rows, r.added, r.already, r.marked), (5, 1, 1, 1));
    assert_eq!(r.errors.len(), 3, "{:?}", r.errors);
    assert_eq!(r.errors[0].row, 4);
    assert!(
        r.errors[0].message.contains("контрольная сумма"),
        "{}",
        r.errors[0].message
    );
    assert!(
        r.errors[1].message.contains("нет в реестре центра"),
        "{}",
        r.errors[1].message
    );
    assert_eq!(r.errors[2].field, "attended");
    let list = participants(&conn, e.id).unwrap();
    assert_eq!(list.len(), 2);
    assert!(list[0].attended && !list[1].attended);
    let no_inn = read_csv_bytes("ФИО;Организация\nИванов;ООО\n".as_bytes()).unwrap();
    let e2 = import_participants(&mut conn, &c, e.id, &no_inn).unwrap_err();
    assert!(e2.message.contains("«ИНН»"), "{}", e2.message);
}

#[test]
fn the_attendance_sheet_lists_the_registered_with_a_signature_column_and_spare_lines() {
    let (_dir, mut conn) = open();
    let sme = eligible_sme(&mut conn, "7707083893");
    let c = ctx("2025-04-01");
    let e = add(&mut conn, &c, &seminar("2025-04-15")).unwrap();
    add_participant(&mut conn, &c, e.id, sme, "Иванов Иван Иванович").unwrap();
    let bytes = sheet::pdf(&conn, e.id, day("2025-04-14").and_hms_opt(9, 0, 0).unwrap()).unwrap();
    let text = crate::report::tests::pdftotext(&bytes);
    for expected in [
        "ЛИСТ РЕГИСТРАЦИИ УЧАСТНИКОВ",
        "«Экспорт в Казахстан: таможня и валютный контроль»",
        "4.1.2",
        "15.04.2025",
        "очный",
        "Иванов Иван Иванович",
        "ИНН 7707083893",
        "Подпись",
        "Петрова А. С.",
    ] {
        assert!(text.contains(expected), "{expected} missing in:\n{text}");
    }
    assert!(text.contains(&format!("{}", 1 + sheet::SPARE_LINES)), "{text}");
}

#[test]
fn attendance_not_registration_counts_as_support_once_per_business() {
    let (_dir, mut conn) = open();
    let came = eligible_sme(&mut conn, "7707083893");
    let registered_only = crate::agreement::fixture::eligible_sme(&mut conn, "7736207543");
    let c = ctx("2025-04-15");
    let e = add(&mut conn, &c, &seminar("2025-04-15")).unwrap();
    let p = add_participant(&mut conn, &c, e.id, came, "").unwrap();
    add_participant(&mut conn, &c, e.id, registered_only, "").unwrap();
    mark_attendance(&mut conn, &c, p.id, true).unwrap();
    let cancelled = add(&mut conn, &ctx("2025-03-01"), &seminar("2025-05-20")).unwrap();
    add_participant(&mut conn, &c, cancelled.id, registered_only, "").unwrap();
    set_status(&mut conn, &c, cancelled.id, EventStatus::Cancelled).unwrap();

    let y = crate::report::yearly::yearly(&conn, 2025).unwrap();
    assert_eq!(y.kpis.smes_supported, 1);
    let row = y.items.iter().find(|i| i.service_code == "4.1.2").expect("row 4.1.2");
    assert_eq!((row.services, row.smes, row.participants), (1, 1, Some(1)));
    assert_eq!(row.cost, d("45000"));
    let reg = crate::report::recipients::registry(&conn, day("2025-01-01"), day("2025-12-31")).unwrap();
    assert_eq!(reg.entries.len(), 1);
    assert_eq!(reg.entries[0].form, "Образовательная");
    assert_eq!(reg.entries[0].sme_id, came);
    assert!(
        reg.entries[0].support_kind.contains("Экспорт в Казахстан"),
        "{:?}",
        reg.entries[0]
    );
}

#[test]
fn an_events_cost_is_paid_from_the_budget_of_the_year_it_ends_in() {
    let (_dir, mut conn) = open();
    let c = ctx("2025-03-01");
    crate::budget::set_line(&mut conn, &c, 2025, "4.1.2", d("50000")).unwrap();
    let first = add(&mut conn, &c, &seminar("2025-04-15")).unwrap();
    let line = |conn: &Db| crate::budget::show(conn, 2025).unwrap().line("4.1.2").cloned().unwrap();
    assert_eq!((line(&conn).committed, line(&conn).spent), (d("45000"), d("0")));
    let mut second = seminar("2025-05-20");
    second.cost = Some(d("10000"));
    let e = add(&mut conn, &c, &second).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("cost"));
    let text = e.message.replace('\u{a0}', " ");
    assert!(text.contains("6.1.2") && text.contains("осталось 5 000,00"), "{text}");
    let mut dearer = first.input.clone();
    dearer.cost = Some(d("50000"));
    update(&mut conn, &c, first.id, &dearer).expect("its own old cost is given back first");
    set_status(&mut conn, &ctx("2025-04-15"), first.id, EventStatus::Held).unwrap();
    assert_eq!((line(&conn).committed, line(&conn).spent), (d("0"), d("50000")));
    second.cost = None;
    add(&mut conn, &c, &second).expect("an event paid by nobody needs no budget");
}

/// The quarterly monitoring counts a seminar's row like the yearly report, and its total businesses
/// equal KPI 1.
#[test]
fn the_quarter_counts_seminars_in_their_row_and_its_total_equals_kpi_1() {
    let (_dir, mut conn) = open();
    let came = eligible_sme(&mut conn, "7707083893");
    let c = ctx("2025-04-15");
    let e = add(&mut conn, &c, &seminar("2025-04-15")).unwrap();
    let p = add_participant(&mut conn, &c, e.id, came, "").unwrap();
    mark_attendance(&mut conn, &c, p.id, true).unwrap();
    let q = crate::report::quarterly::quarterly(&conn, 2025, 2).unwrap();
    let row = q.rows.iter().find(|r| r.service_code == "4.1.2").expect("row 4.1.2");
    assert_eq!((row.quarter_services, row.quarter_smes), (1, 1));
    assert_eq!(row.quarter_centre_share, d("45000"));
    assert_eq!(q.total.ytd_smes, q.kpis.smes_supported);
}
