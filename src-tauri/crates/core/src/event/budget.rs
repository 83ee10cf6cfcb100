//! What events take from the year's budget (§6.1.2: paid «за счет сметы ЦПЭ на текущий финансовый год»): a seminar's cost committed while planned and spent once held, in the year it ends in, and the check that a new or corrected cost fits what the budget has left.

use chrono::Datelike;
use rust_decimal::Decimal;

use super::EventInput;
use crate::budget::{BudgetUsage, UsageKind};
use crate::db::Db;
use crate::error::{CoreError, Result};
use crate::money;
use crate::params;

/// What the events of `year` (by their last day) take from its budget: the cost of one held or
/// closed is spent, of one planned or in registration committed; a cancelled one takes nothing.
/// `exclude` leaves one event out (the one being corrected).
pub fn budget_usage(conn: &Db, year: i32, exclude: Option<i64>) -> Result<Vec<BudgetUsage>> {
    usage_where(conn, year, "id IS DISTINCT FROM ?3", exclude)
}

fn usage_where(conn: &Db, year: i32, which: &str, id: Option<i64>) -> Result<Vec<BudgetUsage>> {
    let rows: Vec<(String, String, Option<String>)> = conn.query_map(
        &format!(
            "SELECT service_code, status, cost FROM event
             WHERE ends_on >= ?1 AND ends_on < ?2 AND status <> 'cancelled' AND cost IS NOT NULL AND {which}"
        ),
        params![format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1), id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(rows
        .into_iter()
        .map(|(service_code, status, cost)| BudgetUsage {
            service_code,
            year,
            kind: if matches!(status.as_str(), "held" | "closed") {
                UsageKind::Spent
            } else {
                UsageKind::Committed
            },
            centre_share: cost.as_deref().and_then(money::parse_decimal).unwrap_or_default(),
        })
        .collect())
}

/// §6.1.2: an event is paid «за счет сметы ЦПЭ на текущий финансовый год» — its cost must fit what
/// the budget of the year it ends in has left on its catalog row and in total (when the budget
/// sets them).
pub(super) fn check_budget(conn: &Db, i: &EventInput, exclude: Option<i64>) -> Result<()> {
    let Some(cost) = i.cost.filter(|c| !c.is_zero()) else {
        return Ok(());
    };
    let year = i.ends_on.year();
    let budget = crate::budget::get(conn, year)?;
    // Every use of the year's budget (agreements, acts, events) except the corrected event's own.
    let mut usage = crate::agreement::budget_usage(conn, year, None)?;
    if exclude.is_some() {
        let own = usage_where(conn, year, "id = ?3", exclude)?;
        usage.extend(own.into_iter().map(|u| BudgetUsage {
            centre_share: -u.centre_share,
            ..u
        }));
    }
    let status = crate::budget::status(&budget, &usage);
    let lacking = |remaining: Option<Decimal>| remaining.filter(|r| *r < cost);
    let line = status.line(&i.service_code).and_then(|l| lacking(l.remaining));
    if let Some(left) = line.or_else(|| lacking(status.total.remaining)) {
        return Err(CoreError::field(
            "cost",
            format!(
                "Стоимость {}: в смете {year} года {} осталось {} — мероприятие оплачивается за счёт сметы ЦПЭ (п. 6.1.2 регламента). Уменьшите стоимость или измените смету",
                money::format_rub(cost),
                if line.is_some() {
                    format!("по строке {}", i.service_code)
                } else {
                    "в целом".to_owned()
                },
                money::format_rub(left.max(Decimal::ZERO))
            ),
        ));
    }
    Ok(())
}
