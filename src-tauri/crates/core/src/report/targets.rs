//! The yearly KPI targets set by the region (standard 2.0 §6: a centre is judged by «утвержденные КПЭ … исполнены на 100 %»): stored per year, shown as plan against actual with the share done on the dashboard and in the yearly report (PDF and XLSX).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::yearly::Kpis;
use crate::audit::{self, AuditAction, Ctx};
use crate::db::Db;
use crate::error::{CoreError, Result};
use crate::params;
use crate::staff::Right;

/// The targets of one year; `None` — not set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KpiTargets {
    pub year: i32,
    pub smes_supported: Option<u32>,
    pub smes_with_contracts: Option<u32>,
    #[ts(type = "string | null")]
    pub export_volume_usd_thousand: Option<Decimal>,
}

impl KpiTargets {
    pub fn is_empty(&self) -> bool {
        self.smes_supported.is_none() && self.smes_with_contracts.is_none() && self.export_volume_usd_thousand.is_none()
    }
}

const KEYS: [&str; 3] = ["smes_supported", "smes_with_contracts", "export_volume_usd_thousand"];

fn check_year(year: i32) -> Result<()> {
    if !(2001..=2100).contains(&year) {
        return Err(CoreError::field(
            "year",
            format!("Год {year}: укажите год от 2001 до 2100"),
        ));
    }
    Ok(())
}

pub fn get(conn: &Db, year: i32) -> Result<KpiTargets> {
    let rows: Vec<(String, String)> =
        conn.query_map("SELECT kpi, target FROM kpi_target WHERE year = ?1", [year], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let mut t = KpiTargets {
        year,
        ..Default::default()
    };
    for (kpi, value) in rows {
        match kpi.as_str() {
            "smes_supported" => t.smes_supported = value.parse().ok(),
            "smes_with_contracts" => t.smes_with_contracts = value.parse().ok(),
            _ => t.export_volume_usd_thousand = value.parse().ok(),
        }
    }
    Ok(t)
}

/// Saves the year's targets (the head enters what the region approved), with a journal entry.
pub fn save(conn: &mut Db, ctx: &Ctx, t: &KpiTargets) -> Result<KpiTargets> {
    let tx = conn.write(ctx, Right::Settings)?;
    check_year(t.year)?;
    let counts = [
        ("smes_supported", t.smes_supported),
        ("smes_with_contracts", t.smes_with_contracts),
    ];
    for (field, n) in counts {
        if n.is_some_and(|n| n > 1_000_000) {
            return Err(CoreError::field(field, "План: не больше 1 000 000 СМСП"));
        }
    }
    if let Some(v) = t.export_volume_usd_thousand {
        if v.is_sign_negative() || v > Decimal::from(1_000_000_000) || v.scale() > 3 {
            return Err(CoreError::field(
                "export_volume_usd_thousand",
                "План объёма экспорта: от 0 до 1 000 000 000 тыс. долл. США, не больше трёх знаков после запятой",
            ));
        }
    }
    let before = get(&tx, t.year)?;
    let values = [
        t.smes_supported.map(|n| n.to_string()),
        t.smes_with_contracts.map(|n| n.to_string()),
        t.export_volume_usd_thousand.map(|v| v.normalize().to_string()),
    ];
    for (kpi, value) in KEYS.iter().zip(values) {
        match value {
            Some(v) => tx.execute(
                "INSERT INTO kpi_target (year, kpi, target) VALUES (?1, ?2, ?3)
                 ON CONFLICT (year, kpi) DO UPDATE SET target = excluded.target",
                params![t.year, *kpi, v],
            )?,
            None => tx.execute(
                "DELETE FROM kpi_target WHERE year = ?1 AND kpi = ?2",
                params![t.year, *kpi],
            )?,
        };
    }
    let after = get(&tx, t.year)?;
    if before != after {
        audit::record(
            &tx,
            ctx,
            "kpi_target",
            t.year,
            AuditAction::Update,
            Some(&before),
            Some(&after),
        )?;
    }
    tx.commit()?;
    Ok(after)
}

/// Actual against plan, per cent with one decimal («исполнено на 104,2 %»); none without a plan
/// or with a plan of zero.
pub fn percent(actual: Decimal, target: Option<Decimal>) -> Option<Decimal> {
    let t = target.filter(|t| !t.is_zero())?;
    Some((actual * Decimal::from(100) / t).round_dp(1))
}

/// The three KPIs as (actual, plan, per cent), in the report's order.
pub fn plan_vs_actual(k: &Kpis, t: &KpiTargets) -> [(Decimal, Option<Decimal>, Option<Decimal>); 3] {
    let row = |actual: Decimal, plan: Option<Decimal>| (actual, plan, percent(actual, plan));
    [
        row(k.smes_supported.into(), t.smes_supported.map(Decimal::from)),
        row(k.smes_with_contracts.into(), t.smes_with_contracts.map(Decimal::from)),
        row(k.export_volume_usd_thousand, t.export_volume_usd_thousand),
    ]
}

/// «104,2 %».
pub fn format_percent(p: Decimal) -> String {
    format!("{} %", p.round_dp(1).normalize().to_string().replace('.', ","))
}
