//! Terms of the demo's agreements beyond money that the rules check: quantities within the catalog item's limits and the service's format, so the generated data passes every rule.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::catalog::{CatalogItem, ItemQuantity, ServiceCatalog};
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
