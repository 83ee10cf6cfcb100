//! Terms of the demo's agreements: which services are asked for and how often, the items with their costs and the SME's share within the catalog's minimum and cap, quantities within the item's limits and the service's format — so the generated data passes every rule.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::setup::Contractor;
use crate::agreement::AgreementItemInput;
use crate::catalog::{CatalogItem, ItemQuantity, ItemRole, ServiceCatalog, ServiceKind};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Quantities within the item's limits (разд. 3: per guest per day, stand area, storage).
pub(super) fn quantity_for(rng: &mut ChaCha8Rng, item: &CatalogItem, cost: Decimal) -> ItemQuantity {
    let Some(l) = &item.limits else {
        return ItemQuantity::default();
    };
    let mut q = ItemQuantity {
        condition_confirmed: l.condition.is_some(),
        ..ItemQuantity::default()
    };
    if let Some(max) = l.max_per_guest_day {
        let guests: u32 = rng.random_range(2..=4);
        let days = (cost / (max * Decimal::from(guests))).ceil();
        q.guests = Some(guests);
        q.days = Some(days.to_u32().unwrap_or(1).max(1));
    }
    if l.min_area_m2.is_some() || l.max_area_m2.is_some() {
        let low = l.min_area_m2.unwrap_or(Decimal::ONE);
        let high = l.max_area_m2.unwrap_or(low + Decimal::from(20)).max(low);
        let span = (high - low).to_u32().unwrap_or(0).min(40);
        q.area_m2 = Some(low + Decimal::from(rng.random_range(0..=span)));
    }
    if let Some(max) = l.max_months {
        q.months = Some(rng.random_range(1..=max));
    }
    q
}

/// A format of the service not given on a competitive basis (the demo runs no selections), taken
/// in turn by the case's number; `None` for a service without formats.
pub(super) fn format_for(cat: &ServiceCatalog, code: &str, n: usize) -> Option<String> {
    let open: Vec<&str> = cat
        .service(code)?
        .formats
        .iter()
        .filter(|f| !f.selection_required)
        .map(|f| f.code.as_str())
        .collect();
    (!open.is_empty()).then(|| open[n % open.len()].to_owned())
}

/// The services the demo centre gives under agreements, with their weight in the year's flow.
/// Whole roubles.
pub(super) fn rub(n: i64) -> Decimal {
    Decimal::from(n)
}

pub(super) const SERVICES: &[(&str, u32)] = &[
    ("4.2", 14),
    ("4.3", 8),
    ("4.4", 16),
    ("4.5", 10),
    ("5.1", 14),
    ("5.2", 16),
    ("5.3", 6),
    ("5.4", 6),
    ("5.7", 7),
    ("5.8", 3),
];

/// The SME's share: at least the catalog minimum (rounded up to the rouble), sometimes more,
/// and never leaving the centre more than the item's cap.
pub(super) fn share(rng: &mut ChaCha8Rng, cost: Decimal, rate: Decimal, cap: Option<Decimal>) -> Decimal {
    if rate.is_zero() {
        return Decimal::ZERO;
    }
    let extra = Decimal::new(rng.random_range(0..=10), 2);
    let mut s = (cost * (rate + extra)).ceil();
    if let Some(cap) = cap {
        s = s.max(cost - cap);
    }
    s.min(cost)
}

pub(super) fn items_for(
    rng: &mut ChaCha8Rng,
    cat: &ServiceCatalog,
    code: &str,
    year: i32,
    contractors: &[Contractor],
) -> Vec<AgreementItemInput> {
    let service = cat.service(code).expect("demo services are in the catalog");
    let pick_contractor = |rng: &mut ChaCha8Rng| {
        let able: Vec<&Contractor> = contractors.iter().filter(|c| c.services.contains(&code)).collect();
        let c = able[rng.random_range(0..able.len())];
        (Some(c.id), c.contract(year))
    };
    let mut chosen = Vec::new();
    if service.kind == ServiceKind::Standalone {
        chosen.push(&service.items[0]);
    } else {
        chosen.extend(service.items.iter().filter(|i| i.role == ItemRole::Base));
        let extra: Vec<_> = service
            .items
            .iter()
            .filter(|i| i.role == ItemRole::Additional)
            .collect();
        let want = rng.random_range(1..=2.min(extra.len()));
        let mut taken = Vec::new();
        while taken.len() < want {
            let i = rng.random_range(0..extra.len());
            if !taken.contains(&i) {
                taken.push(i);
            }
        }
        taken.sort();
        chosen.extend(taken.into_iter().map(|i| extra[i]));
    }
    chosen
        .into_iter()
        .map(|item| {
            let cost = match (service.kind, item.cap_per_sme) {
                (ServiceKind::Standalone, Some(cap)) if cap <= rub(300_000) => rub(rng.random_range(100..=350) * 1000),
                (ServiceKind::Standalone, _) => rub(rng.random_range(150..=900) * 1000),
                (_, Some(_)) => rub(rng.random_range(60..=180) * 1000),
                _ => rub(rng.random_range(30..=200) * 1000),
            };
            let (contractor_id, contract_id) = pick_contractor(rng);
            AgreementItemInput {
                item_code: item.code.clone(),
                cost,
                sme_share: share(rng, cost, item.min_sme_rate, item.cap_per_sme),
                state_fees: Decimal::ZERO,
                contractor_id,
                contract_id,
                quantity: quantity_for(rng, item, cost),
            }
        })
        .collect()
}

pub(super) fn pick_service(rng: &mut ChaCha8Rng) -> &'static str {
    let total: u32 = SERVICES.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0..total);
    for (code, w) in SERVICES {
        if x < *w {
            return code;
        }
        x -= w;
    }
    unreachable!("x < total")
}
