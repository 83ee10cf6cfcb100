//! The home screen's figures: the current year's KPIs and how they grew month by month, and budget execution per catalog row. The overdue lists come from the applications and payments modules.

use crate::db::Db;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::data;
use super::yearly::{self, Kpis};
use crate::error::Result;

/// One catalog row's budget execution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetExecution {
    pub service_code: String,
    pub service_name: String,
    #[ts(type = "string | null")]
    pub budget: Option<Decimal>,
    #[ts(type = "string")]
    pub spent: Decimal,
    #[ts(type = "string")]
    pub committed: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Dashboard {
    pub year: i32,
    /// The day the figures are as of.
    pub today: NaiveDate,
    pub kpis: Kpis,
    /// The KPIs at the end of each month from January to the current one (cumulative).
    pub trend: Vec<Kpis>,
    pub budget: Vec<BudgetExecution>,
    #[ts(type = "string | null")]
    pub budget_total: Option<Decimal>,
    #[ts(type = "string")]
    pub spent_total: Decimal,
    #[ts(type = "string")]
    pub committed_total: Decimal,
    /// The region's targets for the year's KPIs, when set.
    #[ts(optional)]
    pub targets: Option<super::targets::KpiTargets>,
    /// The demand analysis is due (§7.1, by 1 December).
    #[ts(optional)]
    pub demand_due: Option<super::demand::DemandReminder>,
    /// The last quarter's monitoring is due (000 §4) and not yet saved.
    #[ts(optional)]
    pub quarter_due: Option<super::quarterly::QuarterReminder>,
    /// The year's plan of events (000 §11), when it has events.
    #[ts(optional)]
    pub plan: Option<crate::event::plan::PlanProgress>,
}

/// The dashboard as of `today` (its year; months up to today's).
pub fn dashboard(conn: &Db, today: NaiveDate) -> Result<Dashboard> {
    let d = data::load(conn, today.year())?;
    let r = yearly::build(&d);
    let months = today.month() as usize;
    Ok(Dashboard {
        year: r.year,
        today,
        kpis: r.kpis.clone(),
        trend: r.months.iter().take(months).map(|m| m.kpis.clone()).collect(),
        budget: r
            .items
            .iter()
            .filter(|i| i.budget.is_some() || !i.spent.is_zero() || !i.committed.is_zero())
            .map(|i| BudgetExecution {
                service_code: i.service_code.clone(),
                service_name: i.service_name.clone(),
                budget: i.budget,
                spent: i.spent,
                committed: i.committed,
            })
            .collect(),
        budget_total: r.budget_total,
        spent_total: r.total.spent,
        committed_total: r.total.committed,
        demand_due: super::demand::reminder(conn, today)?,
        quarter_due: super::quarterly::reminder(conn, today)?,
        targets: Some(r.targets.clone()).filter(|t| !t.is_empty()),
        plan: Some(crate::event::plan::progress(conn, today.year(), today)?).filter(|p| p.planned > 0),
    })
}
