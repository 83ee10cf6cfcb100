//! Properties of the engine: the split always adds up to the cost, the minimum share never falls below rate × cost, and the item order never matters.

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::tests::Case;
use super::*;

fn kopecks() -> impl Strategy<Value = Decimal> {
    (0i64..500_000_000).prop_map(|k| Decimal::new(k, 2))
}

fn rate() -> impl Strategy<Value = Decimal> {
    (0i64..100).prop_map(|p| Decimal::new(p, 2))
}

proptest! {
    #[test]
    fn minimum_share_is_rate_times_cost_rounded_up(cost in kopecks(), rate in rate()) {
        let min = min_sme_share(cost, rate);
        prop_assert!(min >= cost * rate);
        prop_assert!(min - cost * rate < Decimal::new(1, 2));
        prop_assert_eq!(min.scale(), 2);
    }

    #[test]
    fn shares_add_up_to_the_cost(
        cost in kopecks(),
        extra in kopecks(),
        fees in kopecks(),
        service in prop::sample::select(vec!["4.2", "4.3", "4.4", "4.5"]),
    ) {
        let rate = crate::catalog::seed().item(service).unwrap().1.min_sme_rate;
        let share = (min_sme_share(cost, rate) + extra).min(cost);
        let mut case = Case::standalone(service, &cost.to_string(), &share.to_string());
        if service == "4.3" {
            case.proposal.items[0].state_fees = fees;
        }
        let r = case.run();
        let item = &r.items[0];
        prop_assert_eq!(item.sme_share + item.centre_share, item.cost + item.state_fees);
        prop_assert_eq!(r.sme_share + r.centre_share, r.cost + r.state_fees);
        prop_assert!(!r.violations.iter().any(|v| v.code == ViolationCode::SmeShareBelowMinimum));
    }

    #[test]
    fn result_does_not_depend_on_item_order(
        costs in prop::collection::vec((kopecks(), kopecks()), 6),
        order in Just((0..6).collect::<Vec<usize>>()).prop_shuffle(),
        extra in prop::sample::select(vec!["5.2.a1", "4.2", "5.2.x"]),
    ) {
        let codes = ["5.2.b1", "5.2.a1", "5.2.a2", "5.2.a3", "5.2.a5", extra];
        let items: Vec<ProposedItem> = codes
            .iter()
            .zip(&costs)
            .map(|(code, (cost, share))| ProposedItem {
                item_code: (*code).into(),
                cost: *cost,
                sme_share: (*share).min(*cost),
                state_fees: Decimal::ZERO,
                quantity: Default::default(),
            })
            .collect();
        let mut case = Case::new("5.2", &[]);
        case.proposal.items = items.clone();
        let first = case.run();
        case.proposal.items = order.iter().map(|&i| items[i].clone()).collect();
        prop_assert_eq!(first, case.run());
    }
}
