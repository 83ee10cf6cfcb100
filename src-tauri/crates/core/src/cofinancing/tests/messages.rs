//! Beyond the scenario table: the numbers in the messages, warnings, settings, and every catalog row signable.

use super::*;

#[test]
fn splits_and_messages_show_the_numbers() {
    let r = Case::standalone("4.2", "1250000", "249999.99").run();
    assert_eq!(
        (r.min_sme_share, r.sme_share, r.centre_share),
        (d("250000.00"), d("249999.99"), d("1000000.01"))
    );
    assert_eq!(r.min_sme_share.to_string(), "250000.00");
    let v = &r.violations[0];
    assert!(v.message.contains("250\u{a0}000,00\u{a0}₽"), "{}", v.message);
    assert!(v.message.contains("20 %"), "{}", v.message);
    assert_eq!(
        (v.source.as_str(), v.item_code.as_deref()),
        ("п. 4.2 разд. 3", Some("4.2"))
    );

    let r = Case::standalone("4.3", "100000", "30000").fees("40000").run();
    assert_eq!(
        (r.min_sme_share, r.centre_share, r.state_fees),
        (d("30000"), d("110000"), d("40000"))
    );

    let r = Case::standalone("4.2", "250000", "50000")
        .past(1, "4.2", "2025-01-20", None, "400000")
        .past(2, "4.2", "2025-02-10", None, "500000")
        .run();
    let cap = r.items[0].cap.clone().unwrap();
    assert_eq!(
        (cap.used, cap.this_request, cap.remaining),
        (d("900000"), d("200000"), d("-100000"))
    );
    let m = &r.violations[0].message;
    for n in [
        "1\u{a0}000\u{a0}000,00",
        "900\u{a0}000,00",
        "200\u{a0}000,00",
        "100\u{a0}000,00",
        "2025",
    ] {
        assert!(m.contains(n), "{n} not in {m}");
    }

    let r = three_closed(Case::standalone("4.4", "1000", "200")).run();
    let m = &r.violations[0].message;
    assert_eq!(r.violations[0].source, "п. 6.1.5");
    for n in [
        "4.2 (соглашение № 1, акт от 01.09.2022)",
        "4.4 (соглашение № 2",
        "4.5 (соглашение № 3",
    ] {
        assert!(m.contains(n), "{n} not in {m}");
    }

    let r = Case::standalone("4.4", "250000", "50000")
        .budget_line("4.4", Some("1000000"))
        .used("4.4", UsageKind::Committed, "500000")
        .used("4.4", UsageKind::Spent, "300000.01")
        .run();
    let m = &r.violations[0].message;
    for n in [
        "1\u{a0}000\u{a0}000,00",
        "500\u{a0}000,00",
        "300\u{a0}000,01",
        "199\u{a0}999,99",
        "200\u{a0}000,00",
    ] {
        assert!(m.contains(n), "{n} not in {m}");
    }
}

#[test]
fn low_budget_is_a_warning_not_a_violation() {
    let case = Case::standalone("4.4", "250000", "50000")
        .budget_line("4.4", Some("1000000"))
        .used("4.4", UsageKind::Spent, "750000");
    let r = case.run();
    assert!(r.signable);
    assert_eq!(
        r.warnings.iter().map(|w| w.code).collect::<Vec<_>>(),
        [WarningCode::BudgetLow]
    );
    assert!(
        r.warnings[0].message.contains("50\u{a0}000,00"),
        "{}",
        r.warnings[0].message
    );
    let r = Case::standalone("4.4", "250000", "50000")
        .budget_line("4.4", Some("1000000"))
        .used("4.4", UsageKind::Spent, "700000")
        .run();
    assert!(r.warnings.is_empty());
}

#[test]
fn the_cap_period_is_a_setting() {
    let mut case =
        Case::standalone("4.4", "100000", "20000").past(1, "4.4", "2023-05-01", Some("2023-06-01"), "250000");
    assert!(case.run().signable);
    case.settings.cap_period = CapPeriod::AllTime;
    assert_eq!(codes(&case.run()), [V::CapExceeded]);
}

/// Разд. 3 sets the website's 150 000 ₽ in 5.2, 5.4 and 5.7 alike: by default each item code has
/// its own cap; with «по виду поддержки» the SME has one cap for its website across the services.
#[test]
fn the_cap_per_item_code_or_per_kind_of_support_is_a_setting() {
    let website = |service: &str| format!("{service}.a{}", if service == "5.7" { 2 } else { 1 });
    let mut case = Case::new(
        "5.4",
        &[("5.4.b1", "100000", "0"), (&website("5.4"), "125000", "25000")],
    )
    .participants(3)
    .past(1, &website("5.2"), "2025-02-01", None, "100000");
    assert_eq!(case.settings.cap_scope, CapScope::ItemCode, "the default reading");
    let r = case.run();
    assert!(r.signable, "{:?}", r.violations);
    assert_eq!(r.items[1].cap.as_ref().unwrap().used, d("0"));

    case.settings.cap_scope = CapScope::SupportKind;
    let r = case.run();
    assert_eq!(codes(&r), [V::CapExceeded]);
    let cap = r.items[1].cap.as_ref().unwrap();
    assert_eq!((cap.used, cap.remaining), (d("100000.00"), d("-50000.00")));
    assert!(
        r.violations[0]
            .message
            .contains("во всех услугах: 5.2.a1, 5.4.a1, 5.7.a2")
            && r.violations[0].message.contains("остаток лимита 50\u{a0}000,00"),
        "{}",
        r.violations[0].message
    );
    // Another kind (storage abroad) and another year do not count.
    let r = case
        .clone()
        .past(2, "5.2.a5", "2025-02-01", None, "300000")
        .past(3, "5.7.a2", "2024-05-01", None, "150000")
        .run();
    assert_eq!(r.items[1].cap.as_ref().unwrap().used, d("100000.00"));
}

#[test]
fn a_valid_request_for_every_catalog_row_is_signable() {
    for service in catalog::seed().services {
        let mut items = Vec::new();
        let mut additional = 0;
        let mut format_taken = false;
        for item in &service.items {
            let take = match item.role {
                ItemRole::Whole | ItemRole::Base => true,
                ItemRole::Additional => {
                    additional += 1;
                    additional <= service.min_additional
                }
                ItemRole::Format => !std::mem::replace(&mut format_taken, true),
            };
            if take {
                let cost = d("100000");
                items.push(ProposedItem {
                    item_code: item.code.clone(),
                    cost,
                    sme_share: min_sme_share(cost, item.min_sme_rate),
                    state_fees: Decimal::ZERO,
                    quantity: super::fitting(&item.code, cost),
                });
            }
        }
        let mut case = Case::new(&service.code, &[]);
        case.proposal.items = items;
        case.proposal.participants = Some(10);
        let r = case.run();
        assert!(r.signable, "{}: {:?}", service.code, r.violations);
        case.proposal.items.clear();
        assert!(
            !case.run().signable,
            "{}: an empty agreement must not be signable",
            service.code
        );
    }
}

#[test]
fn settings_are_stored_with_defaults_for_missing_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = crate::db::open_in(dir.path()).unwrap();
    assert_eq!(get_settings(&conn).unwrap(), CofinancingSettings::default());
    let ctx = crate::audit::Ctx::new("Руководитель", day("2025-01-10").and_hms_opt(9, 0, 0).unwrap());
    let s = CofinancingSettings {
        cap_period: CapPeriod::AllTime,
        ..Default::default()
    };
    save_settings(&mut conn, &ctx, &s).unwrap();
    assert_eq!(get_settings(&conn).unwrap(), s);
    let bad = CofinancingSettings {
        refusal_window_years: 0,
        ..Default::default()
    };
    assert_eq!(
        save_settings(&mut conn, &ctx, &bad).unwrap_err().field.as_deref(),
        Some("refusal_window_years")
    );
    assert_eq!(get_settings(&conn).unwrap(), s);
}

/// Разд. 3 in quantities: accommodation of 5.5 at most 5 000 ₽ per guest per day, the stand of 5.7
/// at least 4 m² per SME, storage abroad at most 6 months and 100 m², «кроме такси» confirmed;
/// each missing or broken term is a violation at its item naming the limit.
#[test]
fn quantity_terms_of_catalog_items_are_checked_at_their_item() {
    use crate::catalog::ItemQuantity;
    let base55 = [("5.5.b1", "1", "0"), ("5.5.b2", "1", "0"), ("5.5.b3", "1", "0")];
    let stay = |guests, days| {
        let mut c = Case::new("5.5", &[base55.as_slice(), &[("5.5.a5", "30000", "0")]].concat());
        c.proposal.items[3].quantity = ItemQuantity {
            guests,
            days,
            ..Default::default()
        };
        c.run()
    };
    assert!(stay(Some(3), Some(2)).signable, "30 000 ₽ = 5 000 × 3 × 2");
    let over = stay(Some(2), Some(2));
    assert_eq!(codes(&over), [V::ItemTermsNotMet]);
    let v = &over.violations[0];
    assert_eq!(v.item_code.as_deref(), Some("5.5.a5"));
    assert!(v.source.starts_with("п. 5.5"), "{}", v.source);
    assert!(
        v.message.contains("больше 20\u{a0}000,00") && v.message.contains("2 чел. × 2 сут."),
        "{}",
        v.message
    );
    assert!(stay(None, Some(2)).violations[0]
        .message
        .contains("укажите число гостей и суток"));

    let stand = |area: &str| {
        let mut c = Case::new("5.7", &[("5.7.b1", "1", "0"), ("5.7.b2", "400000", "0")]);
        c.proposal.items[1].quantity.area_m2 = Some(d(area));
        c.run()
    };
    assert!(stand("4").signable);
    assert!(stand("3.5").violations[0]
        .message
        .contains("площадь 3,5 м² меньше 4 м² на одного СМСП"));

    let storage = |months, area: &str| {
        let mut c = Case::new("5.1", &[("5.1.b1", "50000", "0"), ("5.1.a6", "100000", "20000")]);
        c.proposal.items[1].quantity = ItemQuantity {
            months,
            area_m2: Some(d(area)),
            ..Default::default()
        };
        c.run()
    };
    assert!(storage(Some(6), "100").signable);
    let both = storage(Some(7), "120");
    assert_eq!(both.violations.len(), 1, "one violation per item, every problem in it");
    assert!(
        both.violations[0].message.contains("площадь 120 м² больше 100 м²")
            && both.violations[0].message.contains("срок 7 мес. больше 6 мес."),
        "{}",
        both.violations[0].message
    );

    let mut taxi = Case::new(
        "5.6",
        &[("5.6.b1", "1", "0"), ("5.6.b2", "1", "0"), ("5.6.a3", "20000", "0")],
    )
    .participants(3);
    taxi.proposal.items[2].quantity.condition_confirmed = false;
    assert!(taxi.run().violations[0]
        .message
        .contains("подтвердите условие «кроме такси»"));
}

/// Разд. 3 (5.7, 5.8): an agreement names the service's format; §5.5.4: an individual stand is
/// given on a competitive basis — without the selection won it is refused with the paragraph.
#[test]
fn a_service_with_formats_names_one_and_an_individual_stand_needs_a_selection() {
    let mut case = Case::new("5.7", &[("5.7.b1", "10000", "0"), ("5.7.b2", "400000", "0")]);
    assert!(case.run().signable, "a collective stand by default");
    case.proposal.format = None;
    let r = case.run();
    assert_eq!(codes(&r), [V::FormatMissing]);
    assert!(
        r.violations[0].message.contains("с коллективным стендом"),
        "{}",
        r.violations[0].message
    );
    case.proposal.format = Some("abroad_individual".into());
    let r = case.run();
    assert_eq!(codes(&r), [V::SelectionMissing]);
    assert_eq!(r.violations[0].source, "п. 5.5.4");
    case.proposal.selection = Some("Протокол № 3 от 25.02.2025".into());
    assert!(case.run().signable);
    case.proposal.format = Some("moon".into());
    assert_eq!(codes(&case.run()), [V::FormatMissing]);
    // A row without formats ignores the field.
    let mut plain = Case::standalone("4.2", "100000", "20000");
    plain.proposal.format = Some("whatever".into());
    assert!(plain.run().signable);
}
