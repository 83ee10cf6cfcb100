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
