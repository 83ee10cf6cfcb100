//! The service catalog (§3 of the regulation) as data: services, their base and additional items and the terms of each (cofinancing rate, cap per SME, declaration, participants), versioned by effective date.

mod edit;
mod limits;
mod store;

pub use limits::{ItemLimits, ItemQuantity};

pub use edit::{edit_item, validate_item_terms, view, CatalogView, ItemTermsEdit};
pub use store::{
    create_version, fill_seed_annotations, get_version, list_versions, mark_used, restore_full_names, seed_if_empty,
    update_version, version_for, CatalogVersionSummary,
};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The seed: the catalog of the regulation approved by order No. 8 of 12.03.2024, shipped in `assets/catalog/`.
pub const SEED_JSON: &str = include_str!("../../../../../assets/catalog/catalog_2024.json");

/// Kind of a catalog row (§3): what agreement and act it needs and whether it counts for §6.1.5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ServiceKind {
    /// Информирование и консультирование (п. 1, 2, 3.x): free, without an act.
    Informational,
    /// Информационно-консультационное мероприятие (п. 4.1.x): seminars, webinars.
    Event,
    /// Самостоятельная услуга (п. 4.2–4.5): one agreement, one act.
    Standalone,
    /// Комплексная услуга (п. 5.x): base and additional items, acts per stage or for the whole.
    Complex,
}

impl ServiceKind {
    pub fn label(self) -> &'static str {
        match self {
            ServiceKind::Informational => "информационная",
            ServiceKind::Event => "мероприятие",
            ServiceKind::Standalone => "самостоятельная",
            ServiceKind::Complex => "комплексная",
        }
    }
}

/// The place of an item in its service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ItemRole {
    /// The service itself (informational, event and standalone services have exactly one item).
    Whole,
    /// Базовая (обязательная) услуга: every base item of a complex service must be in its agreement.
    Base,
    /// Дополнительная услуга: chosen; some services require at least one.
    Additional,
    /// One of alternative formats (п. 5.9): exactly one is chosen.
    Format,
}

impl ItemRole {
    pub fn label(self) -> &'static str {
        match self {
            ItemRole::Whole => "услуга",
            ItemRole::Base => "базовая услуга",
            ItemRole::Additional => "дополнительная услуга",
            ItemRole::Format => "формат",
        }
    }
}

/// What the SME's minimum share is computed on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ShareBasis {
    /// The whole cost of the item.
    #[default]
    FullCost,
    /// п. 4.3: the costs of preparation, filing and paperwork; state fees (пошлины) are paid
    /// 100 % by the centre and are not part of the base.
    PreparationFilingPaperwork,
}

/// One item of a service and its terms. Every term comes from the paragraph in `source`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CatalogItem {
    /// Stable code: the service code for a single-item service, `5.2.b1` for base item 1,
    /// `5.2.a1` for additional item 1, `5.9.f1` for format 1.
    pub code: String,
    pub role: ItemRole,
    pub name: String,
    /// Minimum SME share as a fraction of the basis (0.20 = 20 %); zero for a free item.
    #[serde(default)]
    #[ts(type = "string")]
    pub min_sme_rate: Decimal,
    #[serde(default)]
    pub share_basis: ShareBasis,
    /// The most the centre pays for one SME for this item within the cap period (see settings).
    #[serde(default)]
    #[ts(type = "string | null")]
    pub cap_per_sme: Option<Decimal>,
    /// The SME must declare it received no federal or regional subsidy for the same purpose.
    #[serde(default)]
    pub declaration_required: bool,
    /// Minimum number of SMEs served at once (п. 5.9 formats 1–2: 10).
    #[serde(default)]
    pub min_participants: Option<u32>,
    /// The kind of support a capped item is, when the same support appears in several services
    /// with the same cap (the website of 5.2, 5.4 and 5.7: `website`; storage abroad of 5.1 and
    /// 5.2: `storage_abroad`). With the setting «лимит по виду поддержки» the cap per SME is summed
    /// over every item of the kind; by default it is per item code (see `cofinancing` readings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub support_kind: Option<String>,
    /// Terms the item's wording sets in quantities (accommodation per guest per day, area,
    /// months, a condition to confirm); the agreement's item states its quantities against them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub limits: Option<ItemLimits>,
    /// Paragraph of the regulation the terms come from, e.g. "п. 5.2 разд. 3, доп. услуга 1".
    pub source: String,
}

impl CatalogItem {
    pub fn is_free(&self) -> bool {
        self.min_sme_rate.is_zero()
    }
}

/// A format a service is given in (5.7: in Russia or abroad, with an individual or a collective
/// stand; 5.8: whose point of presence on the platform). An agreement of such a service names one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ServiceFormat {
    pub code: String,
    pub name: String,
    /// §5.5.4: given on a competitive basis — the SME must be a winner of a competitive selection.
    #[serde(default)]
    pub selection_required: bool,
}

/// One row of the catalog (§3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Service {
    /// "1", "3.1", "4.2", "5.9".
    pub code: String,
    pub name: String,
    pub kind: ServiceKind,
    pub source: String,
    /// Whether a service closed by an act counts for refusal reason §6.1.5. The regulation counts
    /// standalone and complex services only; informational ones (1, 2, 3.x, 4.1.x) do not.
    pub counts_for_refusal: bool,
    /// How many additional items must be chosen ("на выбор, но не менее 1 единицы").
    #[serde(default)]
    pub min_additional: u32,
    /// Minimum number of SMEs served at once (п. 5.4, 5.6: 3).
    #[serde(default)]
    pub min_participants: Option<u32>,
    /// Documents the regulation requires for the service (outside the platform).
    #[serde(default)]
    pub documents: Vec<String>,
    /// The formats the service is given in; an agreement names one when there are any.
    #[serde(default)]
    pub formats: Vec<ServiceFormat>,
    pub items: Vec<CatalogItem>,
}

impl Service {
    pub fn item(&self, code: &str) -> Option<&CatalogItem> {
        self.items.iter().find(|i| i.code == code)
    }
}

/// One version of the catalog: the terms in force from `effective_from` until the next version.
/// An agreement keeps the version it was concluded under, so a version in use is never changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ServiceCatalog {
    pub id: i64,
    pub effective_from: NaiveDate,
    pub title: String,
    /// The first day an agreement was concluded under this version; from then on it is frozen.
    pub used_since: Option<NaiveDate>,
    pub services: Vec<Service>,
}

impl ServiceCatalog {
    pub fn service(&self, code: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.code == code)
    }

    /// The service an item code belongs to, and the item.
    pub fn item(&self, code: &str) -> Option<(&Service, &CatalogItem)> {
        self.services.iter().find_map(|s| s.item(code).map(|i| (s, i)))
    }

    /// Whether the head may still change this version: it is not yet in force, or no agreement uses it.
    pub fn editable(&self, today: NaiveDate) -> bool {
        self.effective_from > today || self.used_since.is_none()
    }
}

/// The shape of the seed file and of a version's stored body.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct SeedFile {
    pub title: String,
    pub effective_from: NaiveDate,
    pub services: Vec<Service>,
}

/// Every problem of a catalog the head edited, each naming the service or item to fix.
pub fn validate(services: &[Service]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut codes = std::collections::HashSet::new();
    let hundred = Decimal::ONE;
    for s in services {
        let at = format!("Услуга {}", s.code);
        if s.code.trim().is_empty() {
            problems.push("Услуга без кода: укажите код (например, 4.2)".to_owned());
        }
        if !codes.insert(s.code.clone()) {
            problems.push(format!("{at}: код повторяется; у каждой услуги свой код"));
        }
        if s.name.trim().is_empty() {
            problems.push(format!("{at}: укажите наименование"));
        }
        if s.source.trim().is_empty() {
            problems.push(format!("{at}: укажите пункт регламента, из которого взяты условия"));
        }
        if s.items.is_empty() {
            problems.push(format!("{at}: нет ни одного состава услуги"));
        }
        let whole = s.items.iter().filter(|i| i.role == ItemRole::Whole).count();
        match s.kind {
            ServiceKind::Complex if whole > 0 => problems.push(format!(
                "{at}: у комплексной услуги состав делится на базовые и дополнительные услуги"
            )),
            ServiceKind::Complex => {}
            _ if whole != 1 || s.items.len() != 1 => {
                problems.push(format!("{at}: у {} услуги ровно один состав", s.kind.label()))
            }
            _ => {}
        }
        let additional = s.items.iter().filter(|i| i.role == ItemRole::Additional).count() as u32;
        if s.min_additional > additional {
            problems.push(format!(
                "{at}: требуется не менее {} дополнительных услуг, а в составе их {additional}",
                s.min_additional
            ));
        }
        for i in &s.items {
            let at = format!("{at}, состав {}", i.code);
            if i.code.trim().is_empty() || !codes.insert(i.code.clone()) && i.code != s.code {
                problems.push(format!("{at}: код пустой или повторяется"));
            }
            if i.min_sme_rate.is_sign_negative() || i.min_sme_rate >= hundred {
                problems.push(format!(
                    "{at}: доля софинансирования должна быть от 0 до 100 % (не включая 100 %)"
                ));
            }
            if i.cap_per_sme.is_some_and(|c| c <= Decimal::ZERO) {
                problems.push(format!("{at}: лимит на 1 СМСП должен быть больше нуля (или не задан)"));
            }
            if let Some(Err(reason)) = i.cap_per_sme.map(crate::money::check_rub) {
                problems.push(format!("{at}: лимит на 1 СМСП {reason}"));
            }
            if i.source.trim().is_empty() {
                problems.push(format!("{at}: укажите пункт регламента"));
            }
        }
    }
    problems
}

/// The seeded catalog, parsed (without an id).
pub fn seed() -> ServiceCatalog {
    let f: SeedFile = serde_json::from_str(SEED_JSON).expect("the shipped catalog seed parses");
    ServiceCatalog {
        id: 0,
        effective_from: f.effective_from,
        title: f.title,
        used_since: None,
        services: f.services,
    }
}

#[cfg(test)]
mod tests;
