//! Terms of a catalog item measured in quantities (разд. 3): accommodation per guest per day (5.5), the stand's area per SME (5.7), storage abroad by months and square metres, and conditions staff confirm («экономическим классом», «кроме такси») — with the quantities an agreement's item states against them.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What an item's wording limits, as data the engine checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ItemLimits {
    /// The most per guest per day (5.5: «не более 5 000 рублей в сутки на одного человека»).
    #[ts(type = "string | null")]
    pub max_per_guest_day: Option<Decimal>,
    /// The least area, m² (5.7: «не менее 4 кв. м на одного СМСП»).
    #[ts(type = "string | null")]
    pub min_area_m2: Option<Decimal>,
    /// The most area, m² (storage abroad: «площадью не более 100 кв. м»).
    #[ts(type = "string | null")]
    pub max_area_m2: Option<Decimal>,
    /// The most months (storage abroad: «на срок не более 6 месяцев»).
    pub max_months: Option<u32>,
    /// A condition the staff confirm for the agreement: «авиаперелёт экономическим классом»,
    /// «кроме такси».
    pub condition: Option<String>,
}

/// The quantities an agreement's item states for its item's limits; only those the item needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ItemQuantity {
    pub guests: Option<u32>,
    pub days: Option<u32>,
    #[ts(type = "string | null")]
    pub area_m2: Option<Decimal>,
    pub months: Option<u32>,
    /// The staff confirmed the item's condition.
    pub condition_confirmed: bool,
}

impl ItemQuantity {
    pub fn is_empty(&self) -> bool {
        *self == ItemQuantity::default()
    }

    /// Reads `guests=3,days=2,area=9.5,months=3,confirmed` (the CLI's `--quantity`); the error
    /// names the part that is wrong.
    pub fn parse(text: &str) -> Result<ItemQuantity, String> {
        let mut q = ItemQuantity::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            let whole = || {
                value
                    .trim()
                    .parse::<u32>()
                    .map_err(|_| format!("«{part}»: укажите целое число"))
            };
            match key.trim() {
                "guests" => q.guests = Some(whole()?),
                "days" => q.days = Some(whole()?),
                "months" => q.months = Some(whole()?),
                "area" => {
                    q.area_m2 = Some(
                        value
                            .trim()
                            .replace(',', ".")
                            .parse::<Decimal>()
                            .map_err(|_| format!("«{part}»: укажите площадь числом, например area=9.5"))?,
                    )
                }
                "confirmed" => q.condition_confirmed = true,
                _ => {
                    return Err(format!(
                        "«{part}»: известны guests, days, area, months и confirmed, например guests=3,days=2"
                    ))
                }
            }
        }
        Ok(q)
    }

    /// «3 гостя × 2 суток», «9 м²», «6 мес., 40 м²» — for printed agreements; empty when none.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let (Some(g), Some(d)) = (self.guests, self.days) {
            parts.push(format!("{g} чел. × {d} сут."));
        }
        if let Some(m) = self.months {
            parts.push(format!("{m} мес."));
        }
        if let Some(a) = self.area_m2 {
            parts.push(format!("{} м²", a.normalize().to_string().replace('.', ",")));
        }
        parts.join(", ")
    }
}
