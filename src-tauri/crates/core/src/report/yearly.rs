//! The yearly report to the region as figures: the three KPIs, the table per catalog item, the months, the SME categories and kinds, and the list of businesses with their contracts — computed from a [`YearData`] without touching the database.

use std::collections::{BTreeMap, BTreeSet};

use crate::db::Db;
use chrono::Datelike;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::data::{self, contract_month, FreeSource, YearData};
use crate::error::Result;
use crate::money;

/// The three KPIs a centre is judged by (the regional export standard 2.0, §6 «Создание и развитие Центра поддержки экспорта»).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Kpis {
    /// Unique businesses supported.
    pub smes_supported: u32,
    /// Unique businesses with export contracts as a result of support.
    pub smes_with_contracts: u32,
    /// Supported export volume, thousand US dollars.
    #[ts(type = "string")]
    pub export_volume_usd_thousand: Decimal,
}

/// One catalog row of the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ItemRow {
    pub service_code: String,
    pub service_name: String,
    /// Agreements closed by an act, consultations given, events held with attendance.
    pub services: u32,
    pub smes: u32,
    /// For events (4.1.x): businesses present, summed over the events; `None` for other rows.
    pub participants: Option<u32>,
    #[ts(type = "string")]
    pub cost: Decimal,
    /// The centre's part of the cost of the services given.
    #[ts(type = "string")]
    pub centre_share: Decimal,
    /// SME cofinancing received in the year (payments).
    #[ts(type = "string")]
    pub cofinancing_paid: Decimal,
    /// The year's budget line; `None` when the budget has no line for the row.
    #[ts(type = "string | null")]
    pub budget: Option<Decimal>,
    /// The centre's spending booked against the budget (signed acts).
    #[ts(type = "string")]
    pub spent: Decimal,
    /// Signed agreements not yet closed.
    #[ts(type = "string")]
    pub committed: Decimal,
}

/// One month of the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MonthRow {
    pub month: u32,
    /// Signed acts dated in the month (a service closed in stages has several).
    pub acts: u32,
    /// Businesses supported for the first time in the year this month.
    pub new_smes: u32,
    #[ts(type = "string")]
    pub cost: Decimal,
    #[ts(type = "string")]
    pub centre_share: Decimal,
    pub contracts: u32,
    #[ts(type = "string")]
    pub export_volume_usd_thousand: Decimal,
    /// The KPIs as they stood at the end of the month (cumulative).
    pub kpis: Kpis,
}

/// A group of businesses by category or by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GroupRow {
    /// `category` or `kind`.
    pub group: String,
    /// The value as stored (`micro`, `legal_entity`, … or `none`) — traced by it.
    pub key: String,
    pub label: String,
    pub smes: u32,
    pub services: u32,
    #[ts(type = "string")]
    pub centre_share: Decimal,
}

/// A contract line of a business in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContractLine {
    pub id: i64,
    pub number: String,
    pub date: chrono::NaiveDate,
    pub country_code: String,
    pub counterparty: String,
    pub subject: String,
    pub agreement_number: String,
    #[ts(type = "string")]
    pub usd_thousand: Decimal,
}

/// A business in the list: what it received and the contracts that followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BusinessRow {
    pub sme_id: i64,
    pub name: String,
    pub inn: String,
    pub category: String,
    pub kind: String,
    /// Catalog rows of the services given in the year, e.g. "4.2, 5.2".
    pub services: String,
    #[ts(type = "string")]
    pub centre_share: Decimal,
    pub contracts: Vec<ContractLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct YearlyReport {
    pub year: i32,
    pub kpis: Kpis,
    /// The region's targets: plan against `kpis`.
    pub targets: super::targets::KpiTargets,
    pub items: Vec<ItemRow>,
    /// Totals of `items` (service code and name empty).
    pub total: ItemRow,
    /// The year's total budget (explicit or the sum of its lines).
    #[ts(type = "string | null")]
    pub budget_total: Option<Decimal>,
    /// The last day an act of the year's agreements was still paid from the year's budget.
    pub budget_paid_until: chrono::NaiveDate,
    pub months: Vec<MonthRow>,
    pub categories: Vec<GroupRow>,
    pub kinds: Vec<GroupRow>,
    pub businesses: Vec<BusinessRow>,
    /// The year's plan of events (000 §11, carried out ≥ 80 %), when it has events.
    #[ts(optional)]
    pub plan: Option<crate::event::plan::PlanProgress>,
}

/// "4.10" after "4.9".
pub(crate) fn code_order(code: &str) -> Vec<u32> {
    code.split('.').map(|p| p.parse().unwrap_or(u32::MAX)).collect()
}

/// The KPIs of the services and contracts whose month is at most `upto` (12 = the whole year).
fn kpis_upto(d: &YearData, upto: u32) -> Kpis {
    kpis_months(d, 1, upto)
}

/// The KPIs of the services and contracts whose month of the year is within `from..=to`.
pub(crate) fn kpis_months(d: &YearData, from: u32, to: u32) -> Kpis {
    let months = from..=to;
    // KPI 1 counts a business once whether it got a consultation, attended a seminar or received
    // an act of any service.
    let supported: BTreeSet<i64> = d
        .services
        .iter()
        .filter(|s| months.contains(&s.date.month()))
        .map(|s| s.sme_id)
        .chain(
            d.free_support
                .iter()
                .filter(|c| months.contains(&c.date.month()))
                .map(|c| c.sme_id),
        )
        .collect();
    let with_contracts: BTreeSet<i64> = d
        .contracts
        .iter()
        .filter(|c| c.date.year() == d.year && months.contains(&c.date.month()))
        .map(|c| c.sme_id)
        .collect();
    let volume = d
        .contracts
        .iter()
        .filter(|c| months.contains(&contract_month(c, d.year)))
        .map(|c| c.usd_thousand)
        .sum();
    Kpis {
        smes_supported: supported.len() as u32,
        smes_with_contracts: with_contracts.len() as u32,
        export_volume_usd_thousand: volume,
    }
}

/// The KPIs of the year.
pub fn kpis(d: &YearData) -> Kpis {
    kpis_upto(d, 12)
}

/// The free support of a catalog row: (services — distinct consultations or events —, businesses,
/// participants of events or `None`, the cost of its events).
fn free_counts<'a>(
    d: &YearData,
    rows: impl Iterator<Item = &'a data::FreeSupportRow>,
) -> (u32, BTreeSet<i64>, Option<u32>, Decimal) {
    let rows: Vec<_> = rows.collect();
    let services = rows
        .iter()
        .map(|r| (r.source == FreeSource::Event, r.id))
        .collect::<BTreeSet<_>>();
    let smes = rows.iter().map(|r| r.sme_id).collect();
    let attendance = rows.iter().filter(|r| r.source == FreeSource::Event).count() as u32;
    let cost = services
        .iter()
        .filter(|(event, _)| *event)
        .filter_map(|(_, id)| d.event_costs.get(id))
        .sum();
    (
        services.len() as u32,
        smes,
        (attendance > 0).then_some(attendance),
        cost,
    )
}

fn item_rows(d: &YearData) -> Vec<ItemRow> {
    let mut codes: BTreeSet<String> = d.services.iter().map(|s| s.service_code.clone()).collect();
    codes.extend(d.free_support.iter().map(|s| s.service_code.clone()));
    codes.extend(d.payments.iter().map(|p| p.service_code.clone()));
    codes.extend(d.budget.lines.iter().filter_map(|l| l.service_code.clone()));
    let mut codes: Vec<String> = codes.into_iter().collect();
    codes.sort_by_key(|c| code_order(c));
    codes
        .into_iter()
        .map(|code| {
            let mine: Vec<_> = d.services.iter().filter(|s| s.service_code == code).collect();
            let (free, mut smes, participants, event_cost) =
                free_counts(d, d.free_support.iter().filter(|s| s.service_code == code));
            smes.extend(mine.iter().map(|s| s.sme_id));
            let budget = d.budget.line(&code);
            ItemRow {
                service_name: d.service_name(&code).to_owned(),
                services: mine.iter().map(|s| s.agreement_id).collect::<BTreeSet<_>>().len() as u32 + free,
                smes: smes.len() as u32,
                participants,
                cost: money::kopecks(mine.iter().map(|s| s.amount).sum::<Decimal>() + event_cost),
                centre_share: money::kopecks(mine.iter().map(|s| s.centre_share).sum::<Decimal>() + event_cost),
                cofinancing_paid: money::kopecks(
                    d.payments
                        .iter()
                        .filter(|p| p.service_code == code)
                        .map(|p| p.amount)
                        .sum(),
                ),
                budget: budget.and_then(|b| b.budget),
                spent: budget.map_or(Decimal::ZERO, |b| b.spent),
                committed: budget.map_or(Decimal::ZERO, |b| b.committed),
                service_code: code,
            }
        })
        .collect()
}

fn total_row(d: &YearData, items: &[ItemRow]) -> ItemRow {
    let sum = |f: fn(&ItemRow) -> Decimal| money::kopecks(items.iter().map(f).sum());
    let (free, mut smes, participants, _) = free_counts(d, d.free_support.iter());
    smes.extend(d.services.iter().map(|s| s.sme_id));
    ItemRow {
        service_code: String::new(),
        service_name: String::new(),
        services: d.services.iter().map(|s| s.agreement_id).collect::<BTreeSet<_>>().len() as u32 + free,
        smes: smes.len() as u32,
        participants,
        cost: sum(|i| i.cost),
        centre_share: sum(|i| i.centre_share),
        cofinancing_paid: sum(|i| i.cofinancing_paid),
        budget: items
            .iter()
            .any(|i| i.budget.is_some())
            .then(|| sum(|i| i.budget.unwrap_or_default())),
        spent: sum(|i| i.spent),
        committed: sum(|i| i.committed),
    }
}

fn month_rows(d: &YearData) -> Vec<MonthRow> {
    let mut first: BTreeMap<i64, u32> = BTreeMap::new();
    let supported = d
        .services
        .iter()
        .map(|s| (s.sme_id, s.date))
        .chain(d.free_support.iter().map(|c| (c.sme_id, c.date)));
    // An event's cost is spent in the month it ends.
    let event_months: BTreeMap<i64, u32> = d
        .free_support
        .iter()
        .filter(|r| r.source == FreeSource::Event)
        .map(|r| (r.id, r.date.month()))
        .collect();
    let event_cost = |m: u32| -> Decimal {
        d.event_costs
            .iter()
            .filter(|(id, _)| event_months.get(id) == Some(&m))
            .map(|(_, c)| *c)
            .sum()
    };
    for (sme, date) in supported {
        let m = first.entry(sme).or_insert(12);
        *m = (*m).min(date.month());
    }
    (1..=12)
        .map(|m| {
            let mine: Vec<_> = d.services.iter().filter(|s| s.date.month() == m).collect();
            let contracts: Vec<_> = d.contracts.iter().filter(|c| contract_month(c, d.year) == m).collect();
            MonthRow {
                month: m,
                acts: mine.len() as u32,
                new_smes: first.values().filter(|f| **f == m).count() as u32,
                cost: money::kopecks(mine.iter().map(|s| s.amount).sum::<Decimal>() + event_cost(m)),
                centre_share: money::kopecks(mine.iter().map(|s| s.centre_share).sum::<Decimal>() + event_cost(m)),
                contracts: contracts.iter().filter(|c| c.date.year() == d.year).count() as u32,
                export_volume_usd_thousand: contracts.iter().map(|c| c.usd_thousand).sum(),
                kpis: kpis_upto(d, m),
            }
        })
        .collect()
}

/// The key a business is grouped by: its category or its kind, as stored.
pub(crate) fn group_key(d: &YearData, sme_id: i64, group: &str) -> String {
    match d.sme(sme_id) {
        None => "none".into(),
        Some(s) if group == "kind" => s.kind.as_str().into(),
        Some(s) => s.category.map_or("none", |c| c.as_str()).into(),
    }
}

fn group_rows(d: &YearData, group: &str) -> Vec<GroupRow> {
    let mut out: BTreeMap<String, (BTreeSet<i64>, u32, Decimal)> = BTreeMap::new();
    for s in &d.services {
        let e = out.entry(group_key(d, s.sme_id, group)).or_default();
        e.0.insert(s.sme_id);
        e.1 += 1;
        e.2 += s.centre_share;
    }
    for s in &d.free_support {
        let e = out.entry(group_key(d, s.sme_id, group)).or_default();
        e.0.insert(s.sme_id);
        e.1 += 1;
    }
    out.into_iter()
        .map(|(key, (smes, services, share))| GroupRow {
            group: group.into(),
            label: group_label(group, &key),
            key,
            smes: smes.len() as u32,
            services,
            centre_share: money::kopecks(share),
        })
        .collect()
}

pub(crate) fn group_label(group: &str, key: &str) -> String {
    use crate::sme::{SmeCategory, SmeKind};
    let label = if group == "kind" {
        SmeKind::parse(key).map(|k| k.label())
    } else {
        SmeCategory::parse(key).map(|c| c.label())
    };
    label.unwrap_or("Не указана").to_owned()
}

fn business_rows(d: &YearData) -> Vec<BusinessRow> {
    let mut ids: BTreeSet<i64> = d.services.iter().map(|s| s.sme_id).collect();
    ids.extend(d.free_support.iter().map(|s| s.sme_id));
    ids.extend(d.contracts.iter().map(|c| c.sme_id));
    let mut out: Vec<BusinessRow> = ids
        .into_iter()
        .filter_map(|id| d.sme(id))
        .map(|s| {
            let mine: Vec<_> = d.services.iter().filter(|x| x.sme_id == s.id).collect();
            let mut codes: Vec<&str> = mine.iter().map(|x| x.service_code.as_str()).collect();
            codes.extend(
                d.free_support
                    .iter()
                    .filter(|x| x.sme_id == s.id)
                    .map(|x| x.service_code.as_str()),
            );
            codes.sort_by_key(|c| code_order(c));
            codes.dedup();
            BusinessRow {
                sme_id: s.id,
                name: s.name.clone(),
                inn: s.inn.clone(),
                category: s.category.map_or("—", |c| c.label()).to_owned(),
                kind: s.kind.label().to_owned(),
                services: codes.join(", "),
                centre_share: money::kopecks(mine.iter().map(|x| x.centre_share).sum()),
                contracts: d
                    .contracts
                    .iter()
                    .filter(|c| c.sme_id == s.id)
                    .map(|c| ContractLine {
                        id: c.id,
                        number: c.number.clone(),
                        date: c.date,
                        country_code: c.country_code.clone(),
                        counterparty: c.counterparty.clone(),
                        subject: c.subject.clone(),
                        agreement_number: c.agreement_number.clone(),
                        usd_thousand: c.usd_thousand,
                    })
                    .collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.inn.cmp(&b.inn))
    });
    out
}

/// Pure: the report of the year from its data.
pub fn build(d: &YearData) -> YearlyReport {
    let items = item_rows(d);
    let total = total_row(d, &items);
    YearlyReport {
        year: d.year,
        kpis: kpis(d),
        targets: d.targets.clone(),
        total,
        items,
        budget_total: d.budget.total.budget,
        budget_paid_until: d.budget_paid_until,
        months: month_rows(d),
        categories: group_rows(d, "category"),
        kinds: group_rows(d, "kind"),
        businesses: business_rows(d),
        plan: Some(d.plan.clone()).filter(|p| p.planned > 0),
    }
}

/// The report of `year` read from the database.
pub fn yearly(conn: &Db, year: i32) -> Result<YearlyReport> {
    Ok(build(&data::load(conn, year)?))
}
