//! Tests of the production calendar: the shipped years against the decrees and the official totals, the working-day arithmetic (examples and properties), the xmlcalendar format, and storage of imports and single-day edits.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use proptest::prelude::*;

use super::*;
use crate::audit::{self, Ctx};
use crate::db;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn shipped() -> Calendar {
    Calendar::shipped().unwrap()
}

fn ctx() -> Ctx {
    Ctx::new("Тестов", d("2026-11-20").and_hms_opt(10, 0, 0).unwrap())
}

// ---- the shipped years against the decrees ----

#[test]
fn decree_2025_and_2026_days() {
    let c = shipped();
    for off in [
        "2025-12-31",
        "2026-01-09",
        "2025-05-02",
        "2025-05-08",
        "2025-06-13",
        "2025-11-03",
        "2026-03-09",
        "2026-05-11",
    ] {
        assert!(!c.is_working_day(d(off)).unwrap(), "{off} is a day off");
    }
    // A working Saturday (from the transfer to 3 November), shortened before the 4 November holiday.
    assert_eq!(d("2025-11-01").weekday(), Weekday::Sat);
    assert!(c.is_working_day(d("2025-11-01")).unwrap());
    assert!(c.is_shortened(d("2025-11-01")).unwrap());
    // 23 February 2025 fell on a Sunday; the decree moved its day off to 8 May, so 24 February works.
    assert!(c.is_working_day(d("2025-02-24")).unwrap());
    assert!(c.is_working_day(d("2026-01-12")).unwrap());
    assert!(c.is_shortened(d("2026-04-30")).unwrap());
    assert!(!c.is_shortened(d("2026-04-29")).unwrap());
}

#[test]
fn decree_2024_days() {
    let c = shipped();
    for working_saturday in ["2024-04-27", "2024-11-02", "2024-12-28"] {
        assert!(c.is_working_day(d(working_saturday)).unwrap(), "{working_saturday}");
    }
    for off in ["2024-04-29", "2024-04-30", "2024-05-10", "2024-12-30", "2024-12-31"] {
        assert!(!c.is_working_day(d(off)).unwrap(), "{off}");
    }
}

/// The official yearly totals (working days; hours of the 40-hour week, where a shortened day
/// is 7 hours) published with each decree.
#[test]
fn official_yearly_totals() {
    let c = shipped();
    for (year, working, hours) in [(2024, 248, 1979), (2025, 247, 1972), (2026, 247, 1972)] {
        let info = c.year_info(year).unwrap();
        assert_eq!(info.working_days, working, "{year}");
        assert_eq!(info.working_days * 8 - info.shortened_days, hours, "{year} hours");
        assert_eq!(info.working_days + info.days_off, if year == 2024 { 366 } else { 365 });
        assert!(!info.provisional);
        assert!(
            info.source.contains("Постановление Правительства РФ"),
            "{}",
            info.source
        );
        // The same count through the arithmetic the deadlines use.
        let days = c.working_days_between(
            d(&format!("{}-12-31", year - 1)).max(d("2024-01-01")),
            d(&format!("{year}-12-31")),
        );
        let first_working = u32::from(year == 2024 && c.is_working_day(d("2024-01-01")).unwrap());
        assert_eq!(days.unwrap() as u32 + first_working, working);
    }
}

/// Art. 112 alone, for checking the provisional year: the holidays, the move of a holiday
/// falling on a weekend to the next working day (except the January ones), and art. 95's
/// shortened working day right before a holiday.
fn art112_kind(date: NaiveDate) -> DayKind {
    let holiday = |x: NaiveDate| {
        matches!(
            (x.month(), x.day()),
            (1, 1..=8) | (2, 23) | (3, 8) | (5, 1) | (5, 9) | (6, 12) | (11, 4)
        )
    };
    let weekend = |x: NaiveDate| matches!(x.weekday(), Weekday::Sat | Weekday::Sun);
    let mut moved = Vec::new();
    let mut x = NaiveDate::from_ymd_opt(date.year(), 1, 1).unwrap();
    while x.year() == date.year() {
        if holiday(x) && weekend(x) && x.month() != 1 {
            let mut to = x + Duration::days(1);
            while weekend(to) || holiday(to) || moved.contains(&to) {
                to += Duration::days(1);
            }
            moved.push(to);
        }
        x += Duration::days(1);
    }
    if holiday(date) || weekend(date) || moved.contains(&date) {
        DayKind::DayOff
    } else if holiday(date + Duration::days(1)) {
        DayKind::Shortened
    } else {
        DayKind::Working
    }
}

#[test]
fn provisional_2027_follows_article_112_and_says_so() {
    let c = shipped();
    let info = c.year_info(2027).unwrap();
    assert!(info.provisional);
    assert!(info.source.contains("Предварительный"), "{}", info.source);
    assert!(c.is_provisional(d("2027-03-01")).unwrap());
    assert!(!c.is_provisional(d("2026-03-01")).unwrap());
    for day in c.days(2027).unwrap() {
        assert_eq!(day.kind, art112_kind(day.date), "{}", day.date);
    }
    // The check above is not empty: 2026 differs from art. 112 alone by its decree.
    assert_ne!(c.day_kind(d("2026-01-09")).unwrap(), art112_kind(d("2026-01-09")));
}

// ---- arithmetic ----

#[test]
fn add_working_days_examples() {
    let c = shipped();
    // An event on Friday; 2 working days counted from the day after: Monday, Tuesday.
    assert_eq!(c.add_working_days(d("2025-03-14"), 2).unwrap(), d("2025-03-18"));
    // Across the New Year holidays 2025/2026: 29, 30 December, then 12, 13, 14 January.
    assert_eq!(c.add_working_days(d("2025-12-26"), 5).unwrap(), d("2026-01-14"));
    // From a day off: the first working day after it.
    assert_eq!(c.add_working_days(d("2025-05-03"), 1).unwrap(), d("2025-05-05"));
    // A working Saturday counts.
    assert_eq!(c.add_working_days(d("2025-10-31"), 1).unwrap(), d("2025-11-01"));
    // Zero days: the event date itself, even a day off.
    assert_eq!(c.add_working_days(d("2025-05-03"), 0).unwrap(), d("2025-05-03"));
}

#[test]
fn working_days_between_examples() {
    let c = shipped();
    assert_eq!(c.working_days_between(d("2025-03-14"), d("2025-03-18")).unwrap(), 2);
    assert_eq!(c.working_days_between(d("2025-03-18"), d("2025-03-14")).unwrap(), -2);
    assert_eq!(c.working_days_between(d("2025-03-14"), d("2025-03-14")).unwrap(), 0);
    assert_eq!(c.working_days_between(d("2025-03-14"), d("2025-03-16")).unwrap(), 0);
    assert_eq!(c.working_days_between(d("2025-12-30"), d("2026-01-12")).unwrap(), 1);
}

#[test]
fn a_missing_year_is_an_error_not_a_guess() {
    let c = shipped();
    for err in [
        c.is_working_day(d("2028-01-10")).unwrap_err(),
        c.add_working_days(d("2027-12-28"), 5).unwrap_err(),
        c.add_working_days(d("2028-03-01"), 0).unwrap_err(),
        c.working_days_between(d("2027-12-01"), d("2028-01-20")).unwrap_err(),
        c.year_info(2028).unwrap_err(),
    ] {
        assert_eq!(err.code, ErrorCode::Rule);
        assert!(
            err.message.starts_with("нет производственного календаря на 2028 год"),
            "{}",
            err.message
        );
    }
    let err = c.is_working_day(d("2023-12-29")).unwrap_err();
    assert!(err.message.contains("на 2023 год"), "{}", err.message);
    // Within the last covered year it still works.
    assert_eq!(c.add_working_days(d("2027-12-28"), 2).unwrap(), d("2027-12-30"));
}

const FIRST: i64 = 0; // 2024-01-01
const DAYS: i64 = 4 * 365 + 1; // to 2027-12-31

fn day_strategy() -> impl Strategy<Value = NaiveDate> {
    (FIRST..DAYS).prop_map(|i| d("2024-01-01") + Duration::days(i))
}

proptest! {
    #[test]
    fn add_and_between_agree(start in day_strategy(), n in 0u32..300) {
        let c = shipped();
        match c.add_working_days(start, n) {
            Ok(end) => {
                prop_assert_eq!(c.working_days_between(start, end).unwrap(), i64::from(n));
                prop_assert_eq!(c.working_days_between(end, start).unwrap(), -i64::from(n));
                if n > 0 {
                    prop_assert!(end > start);
                    prop_assert!(c.is_working_day(end).unwrap());
                    // Monotonic and minimal: the previous deadline is exactly one working day earlier.
                    let prev = c.add_working_days(start, n - 1).unwrap();
                    prop_assert!(prev < end);
                    prop_assert_eq!(c.working_days_between(prev, end).unwrap(), 1);
                } else {
                    prop_assert_eq!(end, start);
                }
            }
            Err(e) => {
                prop_assert_eq!(e.code, ErrorCode::Rule);
                prop_assert!(e.message.contains("на 2028 год"));
                // It failed only because the covered years ran out of working days.
                let last = d("2027-12-31");
                prop_assert!(c.working_days_between(start, last).unwrap() < i64::from(n));
            }
        }
    }

    #[test]
    fn between_is_additive(a in day_strategy(), b in day_strategy(), m in day_strategy()) {
        let c = shipped();
        let ab = c.working_days_between(a, b).unwrap();
        prop_assert_eq!(ab, c.working_days_between(a, m).unwrap() + c.working_days_between(m, b).unwrap());
        prop_assert_eq!(ab >= 0, a <= b || ab == 0);
    }
}

// ---- the xmlcalendar format ----

#[test]
fn shipped_files_round_trip_through_the_writer() {
    for (year, text) in SHIPPED {
        let y = xml::parse(text).unwrap();
        assert_eq!(y.year, *year);
        assert_eq!(xml::parse(&xml::to_xml(&y)).unwrap(), y);
    }
}

#[test]
fn parses_an_xmlcalendar_file_as_published() {
    // The shape of the files published by xmlcalendar: no source, provisional or country.
    let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2028" lang="ru" date="2027.09.01">
  <holidays><holiday id="1" title="Новогодние каникулы"/></holidays>
  <days>
    <day d="01.03" t="1" h="1"/>
    <day d="01.10" t="1" f="01.01"/>
    <day d="02.26" t="3"/>
    <day d="02.22" t="2"/>
  </days>
</calendar>"#;
    let y = xml::parse(text).unwrap();
    assert_eq!(y.year, 2028);
    assert_eq!(y.source, "");
    assert!(!y.provisional);
    assert_eq!(y.published, "2027.09.01");
    let jan3 = &y.days[&d("2028-01-03")];
    assert_eq!(
        (jan3.kind, jan3.holiday.as_deref()),
        (DayKind::DayOff, Some("Новогодние каникулы"))
    );
    assert_eq!(y.days[&d("2028-01-10")].moved_from, Some(d("2028-01-01")));
    assert_eq!(y.days[&d("2028-02-26")].kind, DayKind::Working);
    assert_eq!(y.days[&d("2028-02-22")].kind, DayKind::Shortened);
}

#[test]
fn rejects_broken_files_with_a_reason() {
    let cases = [
        (
            "<calendar year=\"2028\"><days><day d=\"02.30\" t=\"1\"/></days></calendar>",
            "d=\"02.30\"",
        ),
        (
            "<calendar year=\"2028\"><days><day d=\"05.02\" t=\"9\"/></days></calendar>",
            "t=\"9\"",
        ),
        (
            "<calendar year=\"2028\"><days><day t=\"1\"/></days></calendar>",
            "нет атрибута d",
        ),
        (
            "<calendar year=\"2028\"><days><day d=\"05.02\" t=\"1\" f=\"13.01\"/></days></calendar>",
            "f=\"13.01\"",
        ),
        (
            "<calendar year=\"2028\"><days><day d=\"05.02\" t=\"1\"/><day d=\"05.02\" t=\"2\"/></days></calendar>",
            "дважды",
        ),
        (
            "<calendar year=\"2028\" country=\"by\"><days><day d=\"05.02\" t=\"1\"/></days></calendar>",
            "другой страны",
        ),
        (
            "<calendar><days><day d=\"05.02\" t=\"1\"/></days></calendar>",
            "нет атрибута year",
        ),
        ("<calendar year=\"двадцать\"><days/></calendar>", "не похож на год"),
        ("<calendar year=\"2028\"><days></days></calendar>", "нет ни одного дня"),
        ("<html><body>Not found</body></html>", "нет элемента <calendar"),
        (
            "<calendar year=\"2028\"><days><day d=\"05.02\" t=\"1\"></calendar>",
            "не корректный XML",
        ),
    ];
    for (text, needle) in cases {
        let err = xml::parse(text).unwrap_err();
        assert_eq!(err.code, ErrorCode::File, "{text}");
        assert!(err.message.contains(needle), "{text}: {}", err.message);
        assert!(
            err.message.starts_with("Файл производственного календаря"),
            "{}",
            err.message
        );
    }
}

// ---- storage ----

fn sample_2028() -> String {
    let mut y = xml::parse(SHIPPED[3].1).unwrap();
    y.year = 2028;
    y.source = String::new();
    y.provisional = false;
    y.published = "2027.09.20".into();
    y.days = [
        (
            d("2028-01-03"),
            SpecialDay {
                kind: DayKind::DayOff,
                holiday: Some("Новогодние каникулы".into()),
                moved_from: None,
            },
        ),
        (
            d("2028-01-10"),
            SpecialDay {
                kind: DayKind::DayOff,
                holiday: None,
                moved_from: Some(d("2028-01-01")),
            },
        ),
        (
            d("2028-03-04"),
            SpecialDay {
                kind: DayKind::Working,
                holiday: None,
                moved_from: None,
            },
        ),
        (
            d("2028-03-07"),
            SpecialDay {
                kind: DayKind::Shortened,
                holiday: None,
                moved_from: None,
            },
        ),
    ]
    .into_iter()
    .collect();
    xml::to_xml(&y)
}

#[test]
fn import_adds_a_year_that_round_trips_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    assert!(load(&conn).unwrap().is_working_day(d("2028-03-06")).is_err());

    let text = sample_2028();
    let info = import_year(&mut conn, &ctx(), &text, "calendar-2028.xml").unwrap();
    assert_eq!(info.origin, CalendarOrigin::Imported);
    assert_eq!(info.file_name.as_deref(), Some("calendar-2028.xml"));
    assert!(info.source.contains("calendar-2028.xml"), "{}", info.source);

    let c = load(&conn).unwrap();
    let expected = xml::parse(&text).unwrap();
    assert_eq!(c.base(2028).unwrap().days, expected.days);
    assert!(!c.is_working_day(d("2028-01-10")).unwrap());
    assert!(c.is_working_day(d("2028-03-04")).unwrap(), "a working Saturday");
    assert!(c.is_shortened(d("2028-03-07")).unwrap());
    assert!(c.is_working_day(d("2028-03-06")).unwrap(), "an unlisted Monday");
    assert_eq!(c.add_working_days(d("2027-12-30"), 2).unwrap(), d("2028-01-04"));

    let log = audit::list(&conn, Some("calendar_year"), Some("2028"), 10).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "create");
    assert!(log[0].after_json.as_deref().unwrap().contains("calendar-2028.xml"));
}

#[test]
fn import_replaces_the_shipped_year_and_its_day_edits() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    set_day(
        &mut conn,
        &ctx(),
        d("2027-03-01"),
        DayKind::DayOff,
        "региональный праздник",
    )
    .unwrap();
    assert!(!load(&conn).unwrap().is_working_day(d("2027-03-01")).unwrap());

    // An "official" 2027: the January days moved, no longer provisional.
    let mut y = xml::parse(SHIPPED[3].1).unwrap();
    y.provisional = false;
    y.source = "Постановление Правительства РФ (тест)".into();
    y.days.insert(
        d("2027-01-11"),
        SpecialDay {
            kind: DayKind::DayOff,
            holiday: None,
            moved_from: Some(d("2027-01-02")),
        },
    );
    let info = import_year(&mut conn, &ctx(), &xml::to_xml(&y), "2027.xml").unwrap();
    assert!(!info.provisional);
    assert_eq!(info.working_days, 248);
    assert_eq!(info.edited_days, 0);

    let c = load(&conn).unwrap();
    assert!(!c.is_working_day(d("2027-01-11")).unwrap());
    assert!(
        c.is_working_day(d("2027-03-01")).unwrap(),
        "the edit of the replaced year is gone"
    );
    let log = audit::list(&conn, Some("calendar_day"), Some("2027-03-01"), 10).unwrap();
    assert_eq!(
        log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["delete", "create"]
    );
    let log = audit::list(&conn, Some("calendar_year"), Some("2027"), 10).unwrap();
    assert_eq!(log[0].action, "update", "the shipped year was replaced");
    assert!(log[0].before_json.as_deref().unwrap().contains("\"provisional\":true"));

    remove_import(&mut conn, &ctx(), 2027).unwrap();
    assert!(
        load(&conn).unwrap().year_info(2027).unwrap().provisional,
        "the shipped year is back"
    );
    assert_eq!(
        remove_import(&mut conn, &ctx(), 2027).unwrap_err().code,
        ErrorCode::NotFound
    );
}

#[test]
fn a_broken_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    set_day(&mut conn, &ctx(), d("2025-03-03"), DayKind::DayOff, "").unwrap();
    let bad = "<calendar year=\"2025\"><days><day d=\"02.30\" t=\"1\"/></days></calendar>";
    assert_eq!(
        import_year(&mut conn, &ctx(), bad, "bad.xml").unwrap_err().code,
        ErrorCode::File
    );
    let years: i64 = conn
        .query_row("SELECT count(*) FROM calendar_year", [], |r| r.get(0))
        .unwrap();
    assert_eq!(years, 0);
    assert!(
        !load(&conn).unwrap().is_working_day(d("2025-03-03")).unwrap(),
        "the edit stays"
    );
}

#[test]
fn single_day_edits_override_and_can_be_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    let sat = d("2026-03-14");
    let edit = set_day(&mut conn, &ctx(), sat, DayKind::Shortened, " субботник ").unwrap();
    assert_eq!(edit.note, "субботник");
    let c = load(&conn).unwrap();
    assert!(c.is_working_day(sat).unwrap() && c.is_shortened(sat).unwrap());
    assert_eq!(c.year_info(2026).unwrap().working_days, 248);
    assert_eq!(c.year_info(2026).unwrap().edited_days, 1);
    let day = c.days(2026).unwrap().into_iter().find(|x| x.date == sat).unwrap();
    assert_eq!(day.edit.unwrap().set_by, "Тестов");

    set_day(&mut conn, &ctx(), sat, DayKind::DayOff, "").unwrap();
    assert!(!load(&conn).unwrap().is_working_day(sat).unwrap());
    clear_day(&mut conn, &ctx(), sat).unwrap();
    assert_eq!(load(&conn).unwrap().year_info(2026).unwrap().working_days, 247);
    assert_eq!(clear_day(&mut conn, &ctx(), sat).unwrap_err().code, ErrorCode::NotFound);

    let log = audit::list(&conn, Some("calendar_day"), Some("2026-03-14"), 10).unwrap();
    assert_eq!(
        log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["delete", "update", "create"]
    );

    let err = set_day(&mut conn, &ctx(), d("2028-01-10"), DayKind::Working, "").unwrap_err();
    assert!(
        err.message.starts_with("нет производственного календаря на 2028 год"),
        "{}",
        err.message
    );
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM calendar_day", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0);
}

#[test]
fn days_of_a_year_carry_holidays_and_transfers() {
    let c = shipped();
    let days = c.days(2025).unwrap();
    assert_eq!(days.len(), 365);
    let may2 = days.iter().find(|x| x.date == d("2025-05-02")).unwrap();
    assert_eq!(may2.moved_from, Some(d("2025-01-04")));
    let jun12 = days.iter().find(|x| x.date == d("2025-06-12")).unwrap();
    assert_eq!(jun12.holiday.as_deref(), Some("День России"));
}
