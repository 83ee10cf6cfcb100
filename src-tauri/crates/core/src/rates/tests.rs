//! Tests of the exchange rates: both file formats in windows-1251, idempotent import and conflicts, manual entry, the rate in force on a day, and conversions computed by hand.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::*;
use crate::agreement::fixture::{ctx, d, day, open};
use crate::error::ErrorCode;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/cbr")
        .join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

#[test]
fn reads_the_daily_file_in_windows_1251() {
    let raw = bytes("daily_2025-03-14_cp1251.xml");
    assert!(std::str::from_utf8(&raw).is_err(), "the fixture is really windows-1251");
    let f = parse(&raw).unwrap();
    assert_eq!(f.kind, RateFileKind::Daily);
    assert_eq!(f.rates.len(), 5);
    let jpy = f.rates.iter().find(|r| r.char_code == "JPY").unwrap();
    assert_eq!((jpy.date, jpy.nominal), (day("2025-03-14"), 100));
    assert_eq!((jpy.value, jpy.unit_rate), (d("58.6740"), d("0.58674")));
}

#[test]
fn reads_the_dynamic_series_by_the_bank_id() {
    let f = parse(&bytes("dynamic_usd_2025-03.xml")).unwrap();
    assert_eq!(f.kind, RateFileKind::Dynamic);
    assert_eq!(f.rates.len(), 5);
    assert!(f.rates.iter().all(|r| r.char_code == "USD"));
    assert_eq!(f.rates[2].date, day("2025-03-13"));
    assert_eq!(f.rates[2].unit_rate, d("87.102"));
}

#[test]
fn without_vunitrate_the_unit_rate_is_value_over_nominal() {
    let xml = "<?xml version=\"1.0\"?><ValCurs Date=\"02.03.2020\"><Valute ID=\"R01820\"><CharCode>JPY</CharCode>\
               <Nominal>100</Nominal><Value>61,3000</Value></Valute></ValCurs>";
    let f = parse(xml.as_bytes()).unwrap();
    assert_eq!(f.rates[0].unit_rate, d("0.613"));
}

/// Issue 14: quick-xml cuts text at references and only the last piece was kept: 8&#54;,8389 was
/// stored as 0,8389 and 94&amp;2013 as 2013.
#[test]
fn text_cut_at_references_is_read_whole_and_what_is_not_a_number_refused() {
    let file = |value: &str| {
        format!(
            "<ValCurs Date=\"14.03.2025\">\n<Valute><CharCode>USD</CharCode><Nominal>1</Nominal><Value>{value}</Value></Valute></ValCurs>"
        )
    };
    let f = parse(file("8&#54;,8389").as_bytes()).unwrap();
    assert_eq!(f.rates[0].value, d("86.8389"));
    let f = parse(file("&#x38;6,83&#56;9").as_bytes()).unwrap();
    assert_eq!(f.rates[0].value, d("86.8389"));
    let e = parse(file("94&amp;2013").as_bytes()).unwrap_err();
    assert!(
        e.message.contains("строка 2") && e.message.contains("94&2013"),
        "{}",
        e.message
    );
    let e = parse(file("94&bogus;2013").as_bytes()).unwrap_err();
    assert!(e.message.contains("&bogus;"), "{}", e.message);
}

#[test]
fn a_broken_file_is_refused_with_the_line() {
    let e = parse(b"<ValCurs Date=\"14.03.2025\">\n<Valute><CharCode>USD</CharCode><Nominal>1</Nominal><Value>abc</Value></Valute></ValCurs>")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::File);
    assert!(
        e.message.contains("строка 2") && e.message.contains("abc"),
        "{}",
        e.message
    );
    let e = parse(b"<calendar year=\"2025\"/>").unwrap_err();
    assert!(e.message.contains("ValCurs"), "{}", e.message);
}

#[test]
fn reimport_is_idempotent_and_a_different_value_is_a_conflict() {
    let (_dir, mut conn) = open();
    let c = ctx("2025-03-20");
    let r = import_file(&mut conn, &c, &fixture("daily_2025-03-14_cp1251.xml"), false).unwrap();
    assert_eq!((r.imported, r.unchanged, r.conflicts.len()), (5, 0, 0));
    let r = import_file(&mut conn, &c, &fixture("daily_2025-03-14_cp1251.xml"), false).unwrap();
    assert_eq!((r.imported, r.unchanged, r.conflicts.len()), (0, 5, 0));
    // The dynamic series repeats 14.03 with the same rate written "86,8389".
    let r = import_file(&mut conn, &c, &fixture("dynamic_usd_2025-03.xml"), false).unwrap();
    assert_eq!((r.imported, r.unchanged), (4, 1));

    let r = import_file(&mut conn, &c, &fixture("daily_2025-03-14_conflict.xml"), false).unwrap();
    assert_eq!((r.imported, r.unchanged, r.replaced), (0, 4, 0));
    assert_eq!(r.conflicts.len(), 1);
    assert_eq!(r.conflicts[0].char_code, "USD");
    assert_eq!(
        (r.conflicts[0].stored_unit_rate, r.conflicts[0].file_unit_rate),
        (d("86.8389"), d("90"))
    );
    assert_eq!(
        rate_on(&conn, "USD", day("2025-03-14")).unwrap().unit_rate,
        d("86.8389"),
        "not overwritten"
    );

    let r = import_file(&mut conn, &c, &fixture("daily_2025-03-14_conflict.xml"), true).unwrap();
    assert_eq!((r.replaced, r.conflicts.len()), (1, 0));
    assert_eq!(rate_on(&conn, "USD", day("2025-03-14")).unwrap().unit_rate, d("90"));
    let audits: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE entity LIKE 'currency_rate%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audits, 6, "one entry per file and one per replaced rate");
}

#[test]
fn manual_entry_refuses_to_overwrite_silently() {
    let (_dir, mut conn) = open();
    let c = ctx("2025-03-20");
    let input = ManualRateInput {
        date: day("2025-03-14"),
        char_code: "aed".into(),
        nominal: 1,
        value: "23,6439".into(),
        replace: false,
    };
    let r = set_manual(&mut conn, &c, &input).unwrap();
    assert_eq!(
        (r.char_code.as_str(), r.unit_rate, r.source),
        ("AED", d("23.6439"), RateSource::Manual)
    );
    set_manual(&mut conn, &c, &input).unwrap();
    let other = ManualRateInput {
        value: "24".into(),
        ..input.clone()
    };
    let e = set_manual(&mut conn, &c, &other).unwrap_err();
    assert_eq!(e.code, ErrorCode::Duplicate);
    assert!(e.message.contains("23.6439"), "{}", e.message);
    set_manual(&mut conn, &c, &ManualRateInput { replace: true, ..other }).unwrap();
    assert_eq!(rate_on(&conn, "AED", day("2025-03-14")).unwrap().unit_rate, d("24"));
    let bad = ManualRateInput {
        value: "двадцать".into(),
        ..input
    };
    assert_eq!(
        set_manual(&mut conn, &c, &bad).unwrap_err().field.as_deref(),
        Some("value")
    );
}

#[test]
fn the_rate_in_force_bridges_only_non_working_days() {
    let (_dir, mut conn) = open();
    let c = ctx("2025-03-20");
    import_file(&mut conn, &c, &fixture("daily_2025-03-14_cp1251.xml"), false).unwrap();
    import_file(&mut conn, &c, &fixture("daily_2025-03-15_cp1251.xml"), false).unwrap();
    // Saturday's record (set on Friday) is in force on Sunday and Monday.
    for on in ["2025-03-15", "2025-03-16", "2025-03-17"] {
        let r = rate_on(&conn, "USD", day(on)).unwrap();
        assert_eq!((r.record_date, r.unit_rate), (day("2025-03-15"), d("86.302")), "{on}");
    }
    // A rate was set on Monday for Tuesday: Saturday's is not used.
    let e = rate_on(&conn, "USD", day("2025-03-18")).unwrap_err();
    assert_eq!(e.code, ErrorCode::MissingRate);
    assert!(
        e.message.contains("USD") && e.message.contains("18.03.2025"),
        "{}",
        e.message
    );
    assert_eq!(e.field.as_deref(), Some("rate:USD:2025-03-18"));
    // Before the first record: nothing.
    assert_eq!(
        rate_on(&conn, "EUR", day("2025-03-13")).unwrap_err().code,
        ErrorCode::MissingRate
    );
}

#[test]
fn effective_rule_walks_the_new_year_holidays() {
    // 28.12.2024 was a working Saturday: the rate set on it is dated 29.12 and is in force
    // until the first working day after the holidays (10.01.2025) sets the rate dated 11.01.
    let records: BTreeMap<NaiveDate, i32> = [(day("2024-12-29"), 1), (day("2025-01-11"), 2)].into();
    let cal = crate::calendar::Calendar::shipped().unwrap();
    let working = |d: NaiveDate| cal.is_working_day(d).unwrap();
    assert_eq!(
        effective(day("2025-01-08"), &records, working),
        Some((day("2024-12-29"), 1))
    );
    assert_eq!(
        effective(day("2025-01-12"), &records, working),
        Some((day("2025-01-11"), 2))
    );
    // A record dated 28.12 does not reach 29.12: a rate was set on the working 28th.
    assert_eq!(
        effective(day("2024-12-29"), &[(day("2024-12-27"), 0)].into(), working),
        None
    );
}

#[test]
fn conversions_computed_by_hand() {
    // 1 000 000 CNY × 11.9563 = 11 956 300 ₽; ÷ 86.8389 = 137 683.69 $ → 137.684 thousand.
    assert_eq!(thousand_usd(d("1000000"), d("11.9563"), d("86.8389")), d("137.684"));
    // JPY at nominal 100: 58.6740 ₽ per 100 yen → VunitRate 0.58674 ₽ per yen.
    // 10 000 000 ¥ × 0.58674 = 5 867 400 ₽; ÷ 86.8389 = 67 566.49 $ → 67.566 thousand.
    assert_eq!(thousand_usd(d("10000000"), d("0.58674"), d("86.8389")), d("67.566"));
    // EUR: 250 000 € × 94.2013 ÷ 86.8389 = 271 195.57 $ → 271.196.
    assert_eq!(thousand_usd(d("250000"), d("94.2013"), d("86.8389")), d("271.196"));
    // Roubles: 8 683 890 ₽ at 86.8389 = exactly 100 000 $.
    assert_eq!(thousand_usd(d("8683890"), Decimal::ONE, d("86.8389")), d("100.000"));
    // Half a dollar rounds away from zero (banker's rounding would give 0.500).
    assert_eq!(thousand_usd(d("500.5"), d("90"), d("90")), d("0.501"));
}

#[test]
fn convert_uses_the_stored_rates_and_names_a_missing_one() {
    let (_dir, mut conn) = open();
    let c = ctx("2025-03-20");
    import_file(&mut conn, &c, &fixture("daily_2025-03-14_cp1251.xml"), false).unwrap();
    let k = convert(&conn, "jpy", day("2025-03-14"), d("10000000")).unwrap();
    assert_eq!(
        (k.rate_currency, k.rate_usd, k.usd_thousand),
        (d("0.58674"), d("86.8389"), d("67.566"))
    );
    let k = convert(&conn, "RUB", day("2025-03-14"), d("8683890")).unwrap();
    assert_eq!(k.usd_thousand, d("100.000"));
    let e = convert(&conn, "CNY", day("2025-03-13"), d("1")).unwrap_err();
    assert_eq!(e.code, ErrorCode::MissingRate);
    assert!(
        e.message.contains("CNY 13.03.2025") || e.message.contains("CNY на 13.03.2025"),
        "{}",
        e.message
    );
    import_file(&mut conn, &c, &fixture("dynamic_usd_2025-03.xml"), false).unwrap();
    let e = convert(&conn, "CNY", day("2025-03-13"), d("1")).unwrap_err();
    assert!(
        e.message.contains("CNY"),
        "the currency's rate is missing, not the dollar's: {}",
        e.message
    );
    let e = convert(&conn, "AED", day("2025-03-14"), d("1")).unwrap_err();
    assert!(e.message.contains("AED"), "{}", e.message);
}

mod properties {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::thousand_usd;

    fn decimal(units: u64, scale: u32) -> Decimal {
        Decimal::new(units as i64, scale)
    }

    proptest! {
        /// Dollars at the dollar's own rate come back as themselves, in thousands to the dollar.
        #[test]
        fn dollars_stay_dollars(cents in 0u64..10_000_000_000, rate in 1u64..2_000_000) {
            let amount = decimal(cents, 2);
            let r = decimal(rate, 4);
            let expected = (amount / Decimal::from(1000))
                .round_dp_with_strategy(3, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            prop_assert_eq!(thousand_usd(amount, r, r), expected);
        }

        /// Never more than half a dollar from the exact value, and more money is never less in dollars.
        #[test]
        fn rounding_is_within_half_a_dollar_and_monotonic(
            units in 1u64..1_000_000_000,
            extra in 0u64..1_000_000,
            rate in 1u64..10_000_000,
            usd in 500_000u64..2_000_000,
        ) {
            let (a, b) = (decimal(units, 2), decimal(units + extra, 2));
            let (rc, ru) = (decimal(rate, 5), decimal(usd, 4));
            let exact = a * rc / ru / Decimal::from(1000);
            let diff = (thousand_usd(a, rc, ru) - exact).abs();
            prop_assert!(diff <= Decimal::new(5, 4), "{} vs {}", thousand_usd(a, rc, ru), exact);
            prop_assert!(thousand_usd(b, rc, ru) >= thousand_usd(a, rc, ru));
        }
    }
}

fn thousand_usd(amount: Decimal, rate_currency: Decimal, rate_usd: Decimal) -> Decimal {
    to_usd_thousand(amount, rate_currency, rate_usd).unwrap()
}
