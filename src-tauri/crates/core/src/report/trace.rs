//! The records behind a figure: every number of the yearly report and the dashboard can be opened as the list of SMEs, acts, contracts or payments it counts, filtered from the same rows the figure was computed from.

use std::collections::BTreeSet;

use crate::db::Db;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::data::{self, contract_month, FreeSource, FreeSupportRow, YearData};
use super::format_usd_thousand;
use super::yearly::group_key;
use crate::error::Result;
use crate::money::format_rub;

/// Which figure of a year's report to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "figure", rename_all = "snake_case")]
#[ts(export)]
pub enum Figure {
    /// KPI 1: the businesses supported.
    SmesSupported,
    /// KPI 2: the businesses with contracts linked to support, dated in the year.
    SmesWithContracts,
    /// KPI 3: the contracts whose volume of the year makes the export volume.
    ExportVolume,
    /// Services given of a catalog row: acts, consultations, events with attendance.
    ItemServices { code: String },
    /// Businesses served under a catalog row.
    ItemSmes { code: String },
    /// Payments of SME cofinancing of a catalog row.
    ItemCofinancing { code: String },
    /// Signed acts of a month.
    MonthActs { month: u32 },
    /// Contracts of a month.
    MonthContracts { month: u32 },
    /// Businesses of a category (`micro`, …, `none`) or kind (`legal_entity`, …): `group` is
    /// `category` or `kind`.
    Group { group: String, key: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TraceKind {
    Sme,
    Act,
    Contract,
    Payment,
    Consultation,
    /// An event with attendance: `sme_id` is 0, the note names it and its participants.
    Event,
}

/// One record a figure counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TraceRecord {
    pub kind: TraceKind,
    pub id: i64,
    pub sme_id: i64,
    pub sme_name: String,
    pub inn: String,
    /// Act, contract or payment document number, or the agreement's number for an SME.
    pub number: String,
    pub date: Option<NaiveDate>,
    /// The amount as people read it (`1 250 000,00 ₽`, `12,5 тыс. долл. США`), or empty.
    pub amount: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TraceList {
    pub title: String,
    pub records: Vec<TraceRecord>,
}

fn sme_records(d: &YearData, ids: BTreeSet<i64>, note: impl Fn(i64) -> String) -> Vec<TraceRecord> {
    let mut out: Vec<TraceRecord> = ids
        .into_iter()
        .filter_map(|id| d.sme(id))
        .map(|s| TraceRecord {
            kind: TraceKind::Sme,
            id: s.id,
            sme_id: s.id,
            sme_name: s.name.clone(),
            inn: s.inn.clone(),
            number: String::new(),
            date: None,
            amount: String::new(),
            note: note(s.id),
        })
        .collect();
    out.sort_by_key(|r| r.sme_name.to_lowercase());
    out
}

fn name_inn(d: &YearData, id: i64) -> (String, String) {
    d.sme(id)
        .map_or((String::new(), String::new()), |s| (s.name.clone(), s.inn.clone()))
}

fn act_records<'a>(d: &YearData, rows: impl Iterator<Item = &'a data::ServiceRow>) -> Vec<TraceRecord> {
    rows.map(|s| {
        let (sme_name, inn) = name_inn(d, s.sme_id);
        TraceRecord {
            kind: TraceKind::Act,
            id: s.act_id,
            sme_id: s.sme_id,
            sme_name,
            inn,
            number: format!("{} к соглашению {}", s.act_number, s.agreement_number),
            date: Some(s.date),
            amount: format_rub(s.amount),
            note: format!("услуга {}, доля ЦПЭ {}", s.service_code, format_rub(s.centre_share)),
        }
    })
    .collect()
}

/// Consultations one by one; an event once, with the number of businesses present.
fn free_records<'a>(d: &YearData, rows: impl Iterator<Item = &'a FreeSupportRow>) -> Vec<TraceRecord> {
    let rows: Vec<&FreeSupportRow> = rows.collect();
    let mut out = Vec::new();
    let mut events = BTreeSet::new();
    for r in &rows {
        match r.source {
            FreeSource::Consultation => {
                let (sme_name, inn) = name_inn(d, r.sme_id);
                out.push(TraceRecord {
                    kind: TraceKind::Consultation,
                    id: r.id,
                    sme_id: r.sme_id,
                    sme_name,
                    inn,
                    number: String::new(),
                    date: Some(r.date),
                    amount: String::new(),
                    note: format!("консультация, услуга {}: {}", r.service_code, r.subject),
                });
            }
            FreeSource::Event if events.insert(r.id) => {
                let present = rows
                    .iter()
                    .filter(|x| x.source == FreeSource::Event && x.id == r.id)
                    .count();
                out.push(TraceRecord {
                    kind: TraceKind::Event,
                    id: r.id,
                    sme_id: 0,
                    sme_name: String::new(),
                    inn: String::new(),
                    number: String::new(),
                    date: Some(r.date),
                    amount: d.event_costs.get(&r.id).map(|c| format_rub(*c)).unwrap_or_default(),
                    note: format!(
                        "мероприятие {} «{}», присутствовало СМСП: {present}",
                        r.service_code, r.subject
                    ),
                });
            }
            FreeSource::Event => {}
        }
    }
    out
}

fn contract_records<'a>(d: &YearData, rows: impl Iterator<Item = &'a data::ContractRow>) -> Vec<TraceRecord> {
    rows.map(|c| {
        let (sme_name, inn) = name_inn(d, c.sme_id);
        TraceRecord {
            kind: TraceKind::Contract,
            id: c.id,
            sme_id: c.sme_id,
            sme_name,
            inn,
            number: c.number.clone(),
            date: Some(c.date),
            amount: format!("{} тыс. долл. США за {}", format_usd_thousand(c.usd_thousand), d.year),
            note: format!(
                "{}: {}, {} (ОКСМ {}), по соглашению {}",
                if c.kind == "ecommerce" {
                    "Продажа через ЭТП"
                } else {
                    "Контракт"
                },
                c.subject,
                c.counterparty,
                c.country_code,
                c.agreement_number
            ),
        }
    })
    .collect()
}

/// Pure: the records behind `figure` in the year's data.
pub fn trace_in(d: &YearData, figure: &Figure) -> TraceList {
    let services_of = |sme: i64| {
        let mut codes: Vec<&str> = d
            .services
            .iter()
            .filter(|s| s.sme_id == sme)
            .map(|s| s.service_code.as_str())
            .collect();
        codes.dedup();
        let mine = |source| {
            d.free_support
                .iter()
                .filter(|c| c.sme_id == sme && c.source == source)
                .count()
        };
        let mut parts = Vec::new();
        if !codes.is_empty() {
            parts.push(format!("услуги: {}", codes.join(", ")));
        }
        for (n, what) in [
            (mine(FreeSource::Consultation), "консультаций"),
            (mine(FreeSource::Event), "мероприятий"),
        ] {
            if n > 0 {
                parts.push(format!("{what}: {n}"));
            }
        }
        parts.join("; ")
    };
    let free_smes = |keep: &dyn Fn(&FreeSupportRow) -> bool| -> Vec<i64> {
        d.free_support.iter().filter(|r| keep(r)).map(|r| r.sme_id).collect()
    };
    let in_year = |c: &&data::ContractRow| c.date.year() == d.year;
    let y = d.year;
    match figure {
        Figure::SmesSupported => TraceList {
            title: format!("Поддержанные субъекты МСП, {y}"),
            records: sme_records(
                d,
                d.services
                    .iter()
                    .map(|s| s.sme_id)
                    .chain(free_smes(&|_| true))
                    .collect(),
                services_of,
            ),
        },
        Figure::SmesWithContracts => TraceList {
            title: format!("Субъекты МСП с экспортными контрактами по итогам поддержки, {y}"),
            records: sme_records(
                d,
                d.contracts.iter().filter(in_year).map(|c| c.sme_id).collect(),
                |id| {
                    let n = d.contracts.iter().filter(in_year).filter(|c| c.sme_id == id).count();
                    format!("контрактов: {n}")
                },
            ),
        },
        Figure::ExportVolume => TraceList {
            title: format!("Экспортные контракты, объём {y} года"),
            records: contract_records(d, d.contracts.iter().filter(|c| !c.usd_thousand.is_zero())),
        },
        Figure::ItemServices { code } => TraceList {
            title: format!("Оказанные услуги {code}, {y}"),
            records: act_records(d, d.services.iter().filter(|s| &s.service_code == code))
                .into_iter()
                .chain(free_records(
                    d,
                    d.free_support.iter().filter(|s| &s.service_code == code),
                ))
                .collect(),
        },
        Figure::ItemSmes { code } => TraceList {
            title: format!("Субъекты МСП, получившие услугу {code}, {y}"),
            records: sme_records(
                d,
                d.services
                    .iter()
                    .filter(|s| &s.service_code == code)
                    .map(|s| s.sme_id)
                    .chain(free_smes(&|r| &r.service_code == code))
                    .collect(),
                services_of,
            ),
        },
        Figure::ItemCofinancing { code } => TraceList {
            title: format!("Оплаты софинансирования по услуге {code}, {y}"),
            records: d
                .payments
                .iter()
                .filter(|p| &p.service_code == code)
                .map(|p| {
                    let (sme_name, inn) = name_inn(d, p.sme_id);
                    TraceRecord {
                        kind: TraceKind::Payment,
                        id: p.id,
                        sme_id: p.sme_id,
                        sme_name,
                        inn,
                        number: p.document.clone(),
                        date: Some(p.paid_on),
                        amount: format_rub(p.amount),
                        note: format!("по соглашению {}", p.agreement_number),
                    }
                })
                .collect(),
        },
        Figure::MonthActs { month } => TraceList {
            title: format!("Акты, {} {y}", month_name(*month)),
            records: act_records(d, d.services.iter().filter(|s| s.date.month() == *month)),
        },
        Figure::MonthContracts { month } => TraceList {
            title: format!("Экспортные контракты, {} {y}", month_name(*month)),
            records: contract_records(d, d.contracts.iter().filter(|c| contract_month(c, y) == *month)),
        },
        Figure::Group { group, key } => TraceList {
            title: format!("{}, {y}", super::yearly::group_label(group, key)),
            records: sme_records(
                d,
                d.services
                    .iter()
                    .map(|s| s.sme_id)
                    .chain(free_smes(&|_| true))
                    .filter(|id| &group_key(d, *id, group) == key)
                    .collect(),
                services_of,
            ),
        },
    }
}

/// The records behind `figure` of `year`, read from the database.
pub fn trace(conn: &Db, year: i32, figure: &Figure) -> Result<TraceList> {
    Ok(trace_in(&data::load(conn, year)?, figure))
}

/// «январь» … «декабрь».
pub fn month_name(m: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ];
    NAMES.get(m.saturating_sub(1) as usize).copied().unwrap_or("")
}
