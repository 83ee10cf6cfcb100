//! The year's plan of events (000 §11: «реализация плана … в отчетном году составила не менее 80%»): the events marked as in the plan approved by the Export Council, by month, and the share carried out — for the dashboard and the yearly report.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::db::Db;
use crate::error::Result;
use crate::params;

/// The share the regional export standard expects carried out, per cent.
pub const TARGET_PERCENT: u32 = 80;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanMonth {
    pub month: u32,
    pub planned: u32,
    pub carried_out: u32,
}

/// A planned event not carried out: cancelled, or its last day passed without it marked held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanMiss {
    pub event_id: i64,
    pub title: String,
    pub service_code: String,
    pub ends_on: NaiveDate,
    pub cancelled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanProgress {
    pub year: i32,
    /// Events of the plan starting in the year.
    pub planned: u32,
    /// Of them, held or closed.
    pub carried_out: u32,
    /// carried_out ÷ planned × 100, one decimal; `None` without a plan.
    #[ts(type = "string | null")]
    pub percent: Option<Decimal>,
    pub target_percent: u32,
    pub months: Vec<PlanMonth>,
    /// As of `today`: planned events cancelled or past their last day and not marked held.
    pub missed: Vec<PlanMiss>,
}

/// The plan of `year` as it stands on `today`.
pub fn progress(conn: &Db, year: i32, today: NaiveDate) -> Result<PlanProgress> {
    let rows: Vec<(i64, String, String, NaiveDate, NaiveDate, String)> = conn.query_map(
        "SELECT id, title, service_code, starts_on, ends_on, status FROM event
         WHERE in_plan = 1 AND starts_on BETWEEN ?1 AND ?2 ORDER BY starts_on, id",
        params![format!("{year:04}-01-01"), format!("{year:04}-12-31")],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
    )?;
    let done = |status: &str| matches!(status, "held" | "closed");
    let mut months: Vec<PlanMonth> = (1..=12)
        .map(|month| PlanMonth {
            month,
            planned: 0,
            carried_out: 0,
        })
        .collect();
    let mut missed = Vec::new();
    for (id, title, service_code, starts_on, ends_on, status) in &rows {
        let m = &mut months[starts_on.month0() as usize];
        m.planned += 1;
        if done(status) {
            m.carried_out += 1;
        } else if status == "cancelled" || *ends_on < today {
            missed.push(PlanMiss {
                event_id: *id,
                title: title.clone(),
                service_code: service_code.clone(),
                ends_on: *ends_on,
                cancelled: status == "cancelled",
            });
        }
    }
    let planned = rows.len() as u32;
    let carried_out = rows.iter().filter(|r| done(&r.5)).count() as u32;
    Ok(PlanProgress {
        year,
        planned,
        carried_out,
        percent: (planned > 0).then(|| (Decimal::from(carried_out * 100) / Decimal::from(planned)).round_dp(1)),
        target_percent: TARGET_PERCENT,
        months,
        missed,
    })
}
