//! The rows a year's reports are computed from, read from the database in a few queries: signed acts of the year, the SMEs they concern, the export contracts linked to support, payments, the budget and the catalog's names.

use std::collections::BTreeMap;

use crate::db::{Db, Value};
use crate::params;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::budget::{self, BudgetStatus};
use crate::catalog;
use crate::error::Result;
use crate::money;
use crate::sme::{shown_name_sql, SmeCategory, SmeKind};

/// A signed act dated in the year: one row per act with the sums of its items.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRow {
    pub act_id: i64,
    pub act_number: String,
    pub agreement_id: i64,
    pub agreement_number: String,
    pub sme_id: i64,
    /// The catalog row of the agreement ("4.2", "5.2").
    pub service_code: String,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub centre_share: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SmeRow {
    pub id: i64,
    pub name: String,
    pub inn: String,
    pub kind: SmeKind,
    pub category: Option<SmeCategory>,
}

/// An export contract (or e-commerce sale) linked to support, dated in the year or with volume in it.
#[derive(Debug, Clone, PartialEq)]
pub struct ContractRow {
    pub id: i64,
    pub sme_id: i64,
    pub agreement_id: i64,
    pub agreement_number: String,
    /// `contract` or `ecommerce`.
    pub kind: String,
    pub subject: String,
    pub number: String,
    pub date: NaiveDate,
    pub country_code: String,
    pub counterparty: String,
    pub currency: String,
    pub amount: Decimal,
    /// The volume of the report's year in thousand US dollars (zero when none is reported for it).
    pub usd_thousand: Decimal,
}

/// A payment of the SME's share received in the year.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentRow {
    pub id: i64,
    pub agreement_id: i64,
    pub agreement_number: String,
    pub sme_id: i64,
    pub service_code: String,
    pub paid_on: NaiveDate,
    pub amount: Decimal,
    pub document: String,
}

/// Where support given without an agreement and act is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FreeSource {
    /// The journal of consultations (rows 1, 2, 3.x).
    Consultation,
    /// The attendance of an event (4.1.x).
    Event,
}

/// Support given without an agreement and act to a business of the registry: a consultation, or
/// the attendance of an event not cancelled (one row per business and event) — support received (KPI 1).
#[derive(Debug, Clone, PartialEq)]
pub struct FreeSupportRow {
    pub source: FreeSource,
    /// The consultation's or the event's id.
    pub id: i64,
    pub sme_id: i64,
    pub service_code: String,
    /// The consultation's date, or the event's last day.
    pub date: NaiveDate,
    /// The event's first day (the consultation's date).
    pub starts_on: NaiveDate,
    /// The consultation's topic or the event's title.
    pub subject: String,
}

/// Everything a year's reports need.
#[derive(Debug, Clone, PartialEq)]
pub struct YearData {
    pub year: i32,
    pub services: Vec<ServiceRow>,
    pub smes: BTreeMap<i64, SmeRow>,
    pub contracts: Vec<ContractRow>,
    pub payments: Vec<PaymentRow>,
    /// Consultations of the year that name an SME (a person not yet registered does not count) and
    /// attendance of the year's events, by date.
    pub free_support: Vec<FreeSupportRow>,
    /// The cost to the centre of the events with attendance in the year, by event id.
    pub event_costs: BTreeMap<i64, Decimal>,
    pub budget: BudgetStatus,
    /// The last day an act of the year's agreements is still paid from the year's budget (the day
    /// before the carry-over day, [`budget::carry_over_ends`]).
    pub budget_paid_until: NaiveDate,
    /// Catalog row code → name, from the catalog in force at the end of the year.
    pub service_names: BTreeMap<String, String>,
    /// The region's targets for the year's KPIs.
    pub targets: super::targets::KpiTargets,
    /// The year's plan of events as of its end (000 §11).
    pub plan: crate::event::plan::PlanProgress,
}

impl YearData {
    pub fn sme(&self, id: i64) -> Option<&SmeRow> {
        self.smes.get(&id)
    }

    pub fn service_name(&self, code: &str) -> &str {
        self.service_names.get(code).map(String::as_str).unwrap_or("")
    }
}

fn year_bounds(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

/// Reads the year's rows.
pub fn load(conn: &Db, year: i32) -> Result<YearData> {
    let (from, to) = year_bounds(year);
    let services = signed_acts(conn, &from, &to)?;
    let contracts = linked_contracts(conn, year, &from, &to)?;
    let payments = payments(conn, &from, &to)?;
    let mut ids: Vec<i64> = services.iter().map(|s| s.sme_id).collect();
    ids.extend(contracts.iter().map(|c| c.sme_id));
    ids.extend(payments.iter().map(|p| p.sme_id));
    let free_support = free_support(conn, &from, &to)?;
    ids.extend(free_support.iter().map(|c| c.sme_id));
    let event_costs = event_costs(conn, &from, &to)?;
    let smes = smes(conn, ids)?;
    let budget = budget::show(conn, year)?;
    let settings = crate::cofinancing::get_settings(conn)?;
    let budget_paid_until = budget::carry_over_ends(year, &settings) - chrono::Days::new(1);
    Ok(YearData {
        year,
        services,
        smes,
        contracts,
        payments,
        free_support,
        event_costs,
        budget,
        budget_paid_until,
        service_names: service_names(conn, NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default())?,
        targets: super::targets::get(conn, year)?,
        plan: crate::event::plan::progress(conn, year, NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default())?,
    })
}

/// Consultations that name an SME and attendance of events not cancelled, dated (an event by its
/// last day) between two ISO days, by date.
pub(crate) fn free_support(conn: &Db, from: &str, to: &str) -> Result<Vec<FreeSupportRow>> {
    conn.query_map(
        "SELECT 'consultation', id, sme_id, service_code, date, date, topic FROM consultation
         WHERE sme_id IS NOT NULL AND date BETWEEN ?1 AND ?2
         UNION ALL
         SELECT DISTINCT 'event', e.id, p.sme_id, e.service_code, e.ends_on, e.starts_on, e.title
         FROM event e JOIN event_participant p ON p.event_id = e.id
         WHERE p.attended = 1 AND e.status <> 'cancelled' AND e.service_code IN ('4.1.1', '4.1.2')
           AND e.ends_on BETWEEN ?1 AND ?2
         ORDER BY 5, 1, 2, 3",
        params![from, to],
        |r| {
            let source: String = r.get(0)?;
            Ok(FreeSupportRow {
                source: if source == "event" {
                    FreeSource::Event
                } else {
                    FreeSource::Consultation
                },
                id: r.get(1)?,
                sme_id: r.get(2)?,
                service_code: r.get(3)?,
                date: r.get(4)?,
                starts_on: r.get(5)?,
                subject: r.get(6)?,
            })
        },
    )
}

/// The cost of each event not cancelled that had attendance and ended between two ISO days.
fn event_costs(conn: &Db, from: &str, to: &str) -> Result<BTreeMap<i64, Decimal>> {
    let rows: Vec<(i64, Option<String>)> = conn.query_map(
        "SELECT e.id, e.cost FROM event e
         WHERE e.status <> 'cancelled' AND e.ends_on BETWEEN ?1 AND ?2
           AND EXISTS (SELECT 1 FROM event_participant p WHERE p.event_id = e.id AND p.attended = 1)",
        params![from, to],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(rows
        .into_iter()
        .map(|(id, cost)| (id, cost.as_deref().and_then(money::parse_decimal).unwrap_or_default()))
        .collect())
}

/// Signed acts dated between two ISO days, with the sums of their items.
pub(crate) fn signed_acts(conn: &Db, from: &str, to: &str) -> Result<Vec<ServiceRow>> {
    let mut out: Vec<ServiceRow> = Vec::new();
    let sql = "SELECT a.id, a.number, g.id, g.number, g.sme_id, g.service_code, a.date, ai.amount, ai.centre_share
         FROM act a JOIN agreement g ON g.id = a.agreement_id JOIN act_item ai ON ai.act_id = a.id
         WHERE a.signed_on IS NOT NULL AND a.date BETWEEN ?1 AND ?2
         ORDER BY a.date, a.id";
    conn.for_each(sql, params![from, to], |r| {
        let act_id: i64 = r.get(0)?;
        let amount = money::column(r, 7)?;
        let centre = money::column(r, 8)?;
        match out.last_mut() {
            Some(last) if last.act_id == act_id => {
                last.amount += amount;
                last.centre_share += centre;
            }
            _ => out.push(ServiceRow {
                act_id,
                act_number: r.get(1)?,
                agreement_id: r.get(2)?,
                agreement_number: r.get(3)?,
                sme_id: r.get(4)?,
                service_code: r.get(5)?,
                date: r.get(6)?,
                amount,
                centre_share: centre,
            }),
        }
        Ok(true)
    })?;
    Ok(out)
}

/// Export contracts that result from support: linked to an agreement, not cancelled, and not
/// concluded before that agreement (a contract signed before the service is no result of it —
/// issue 18; the contract's card says so).
fn linked_contracts(conn: &Db, year: i32, from: &str, to: &str) -> Result<Vec<ContractRow>> {
    let rows = conn.query_map(
        "SELECT c.id, c.sme_id, c.agreement_id, g.number, c.kind, c.subject, c.number, c.contract_date,
                c.country_code, c.counterparty_name, c.currency, c.amount, v.usd_thousand
         FROM export_contract c JOIN agreement g ON g.id = c.agreement_id
         LEFT JOIN export_contract_volume v ON v.contract_id = c.id AND v.year = ?1
         WHERE c.cancelled_at IS NULL AND c.contract_date >= g.date
           AND (c.contract_date BETWEEN ?2 AND ?3 OR v.contract_id IS NOT NULL)
         ORDER BY c.contract_date, c.id",
        params![year, from, to],
        |r| {
            let usd: Option<Decimal> = r.get(12)?;
            Ok(ContractRow {
                id: r.get(0)?,
                sme_id: r.get(1)?,
                agreement_id: r.get(2)?,
                agreement_number: r.get(3)?,
                kind: r.get(4)?,
                subject: r.get(5)?,
                number: r.get(6)?,
                date: r.get(7)?,
                country_code: r.get(8)?,
                counterparty: r.get(9)?,
                currency: r.get(10)?,
                amount: money::column(r, 11)?,
                usd_thousand: usd.unwrap_or_default(),
            })
        },
    )?;
    Ok(rows)
}

fn payments(conn: &Db, from: &str, to: &str) -> Result<Vec<PaymentRow>> {
    let rows = conn.query_map(
        "SELECT p.id, g.id, g.number, g.sme_id, g.service_code, p.paid_on, p.amount, p.document
         FROM payment p JOIN agreement g ON g.id = p.agreement_id
         WHERE p.paid_on BETWEEN ?1 AND ?2 ORDER BY p.paid_on, p.id",
        params![from, to],
        |r| {
            Ok(PaymentRow {
                id: r.get(0)?,
                agreement_id: r.get(1)?,
                agreement_number: r.get(2)?,
                sme_id: r.get(3)?,
                service_code: r.get(4)?,
                paid_on: r.get(5)?,
                amount: money::column(r, 6)?,
                document: r.get(7)?,
            })
        },
    )?;
    Ok(rows)
}

/// The SMEs with the given ids (duplicates allowed), by id: read a few hundred per query (a query
/// per business cost the server a round trip each — ten thousand of them at a busy centre).
pub(crate) fn smes(conn: &Db, mut ids: Vec<i64>) -> Result<BTreeMap<i64, SmeRow>> {
    const PER_QUERY: usize = 500;
    ids.sort_unstable();
    ids.dedup();
    let mut out = BTreeMap::new();
    for chunk in ids.chunks(PER_QUERY) {
        let marks: Vec<String> = (1..=chunk.len()).map(|n| format!("?{n}")).collect();
        let sql = format!(
            concat!(
                "SELECT id, ",
                shown_name_sql!(),
                ", inn, kind, category FROM sme WHERE id IN ({})"
            ),
            marks.join(", ")
        );
        let args: Vec<Value> = chunk.iter().map(|&id| Value::Integer(id)).collect();
        conn.for_each(&sql, &args, |r| {
            let kind: String = r.get(3)?;
            let category: Option<String> = r.get(4)?;
            let row = SmeRow {
                id: r.get(0)?,
                name: r.get(1)?,
                inn: r.get(2)?,
                kind: SmeKind::parse(&kind).unwrap_or(SmeKind::LegalEntity),
                category: category.as_deref().and_then(SmeCategory::parse),
            };
            out.insert(row.id, row);
            Ok(true)
        })?;
        if let Some(missing) = chunk.iter().find(|id| !out.contains_key(id)) {
            return Err(crate::error::CoreError::not_found(format!(
                "СМСП с кодом {missing} нет в реестре"
            )));
        }
    }
    Ok(out)
}

/// Catalog row names in force on `on` (the seeded catalog's names when no version is in force yet).
pub(crate) fn service_names(conn: &Db, on: NaiveDate) -> Result<BTreeMap<String, String>> {
    let cat = match catalog::version_for(conn, on) {
        Ok(c) => c,
        Err(_) => catalog::seed(),
    };
    Ok(cat.services.into_iter().map(|s| (s.code, s.name)).collect())
}

/// The month (1–12) a contract counts in for the year's trend: its own month, or January when it
/// was concluded before the year.
pub(crate) fn contract_month(c: &ContractRow, year: i32) -> u32 {
    if c.date.year() == year {
        c.date.month()
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::fixture::{ctx, open};
    use crate::sme::SmeInput;

    #[test]
    fn businesses_are_read_a_few_hundred_per_query_and_a_missing_one_is_named() {
        let (_dir, mut conn) = open();
        let c = ctx("2025-03-03");
        let ids: Vec<i64> = (0..520)
            .map(|n| {
                let inn = crate::ident::complete_inn10(&format!("27{n:07}"));
                let mut input = SmeInput::new(SmeKind::LegalEntity, &format!("ООО «Клиент {n}»"), &inn);
                input.short_name = if n % 2 == 0 {
                    format!("Клиент {n}")
                } else {
                    String::new()
                };
                crate::sme::add(&mut conn, &c, &input).unwrap().id
            })
            .collect();
        // Asked in any order, with repeats: each once, by id, across the chunks.
        let mut asked: Vec<i64> = ids.iter().rev().copied().collect();
        asked.extend(&ids[..10]);
        let found = smes(&conn, asked).unwrap();
        assert_eq!(found.len(), 520);
        assert_eq!(found[&ids[0]].name, "Клиент 0");
        assert_eq!(found[&ids[519]].name, "ООО «Клиент 519»");
        assert_eq!(found[&ids[519]].inn, crate::ident::complete_inn10("270000519"));
        let missing = ids[519] + 1000;
        let e = smes(&conn, vec![ids[3], missing]).unwrap_err();
        assert!(e.message.contains(&missing.to_string()), "{}", e.message);
    }
}
