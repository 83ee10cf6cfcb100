//! The year's budget (смета): the amount per catalog row and in total, and how much of it is committed by signed agreements, spent by signed acts, and remaining (§6.1.2).
//!
//! One rule for which year's money a service uses ([`act_budget_year`]): an agreement commits
//! its centre share in the budget of the agreement's year; an act spends the budget of its
//! agreement's year when it is signed before the carry-over day of the next year (default
//! 1 April, 000 §6), otherwise the budget of the year it is signed in. The year an act pays from
//! is fixed when it is signed (`act.budget_year`), so changing the setting later does not move
//! money between closed years. «Committed» is what a signed agreement of the year has not yet
//! spent by signed acts of any year.

use crate::staff::Right;
use std::collections::BTreeMap;

use crate::db::Db;
use crate::params;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, AuditAction, Ctx};
use crate::catalog;
use crate::cofinancing::CofinancingSettings;
use crate::error::{CoreError, Result};
use crate::money;

/// The amount of the budget for one catalog row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetLine {
    pub service_code: String,
    #[ts(type = "string")]
    pub amount: Decimal,
}

/// The budget of one financial year as the head set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Budget {
    pub year: i32,
    /// The year's total; `None` means the sum of the lines.
    #[ts(type = "string | null")]
    pub total: Option<Decimal>,
    pub lines: Vec<BudgetLine>,
}

impl Budget {
    pub fn empty(year: i32) -> Budget {
        Budget {
            year,
            total: None,
            lines: Vec::new(),
        }
    }

    pub fn line(&self, service_code: &str) -> Option<Decimal> {
        self.lines
            .iter()
            .find(|l| l.service_code == service_code)
            .map(|l| l.amount)
    }

    /// The explicit total, else the sum of the lines; `None` when the year has no budget at all.
    pub fn effective_total(&self) -> Option<Decimal> {
        self.total
            .or_else(|| (!self.lines.is_empty()).then(|| self.lines.iter().map(|l| l.amount).sum()))
    }
}

/// Whether a centre's share is only promised (signed agreement, not closed) or already paid (closed act).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum UsageKind {
    Committed,
    Spent,
}

/// One use of the budget: the centre's share of a signed-not-closed agreement (committed) or of
/// a closed act (spent) for a catalog row. The agreement and act modules produce these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetUsage {
    pub service_code: String,
    pub year: i32,
    pub kind: UsageKind,
    #[ts(type = "string")]
    pub centre_share: Decimal,
}

/// Budget, committed, spent and remaining of one catalog row, or of the whole year when `service_code` is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetRow {
    pub service_code: Option<String>,
    /// `None`: the budget has no money for it.
    #[ts(type = "string | null")]
    pub budget: Option<Decimal>,
    #[ts(type = "string")]
    pub committed: Decimal,
    #[ts(type = "string")]
    pub spent: Decimal,
    /// budget − committed − spent; `None` without a budget.
    #[ts(type = "string | null")]
    pub remaining: Option<Decimal>,
}

/// The budget screen: a row per catalog row that has money or usage, and the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetStatus {
    pub year: i32,
    pub lines: Vec<BudgetRow>,
    pub total: BudgetRow,
}

impl BudgetStatus {
    pub fn line(&self, service_code: &str) -> Option<&BudgetRow> {
        self.lines
            .iter()
            .find(|l| l.service_code.as_deref() == Some(service_code))
    }
}

fn row(service_code: Option<String>, budget: Option<Decimal>, usage: &[&BudgetUsage]) -> BudgetRow {
    let sum = |k: UsageKind| money::kopecks(usage.iter().filter(|u| u.kind == k).map(|u| u.centre_share).sum());
    let (committed, spent) = (sum(UsageKind::Committed), sum(UsageKind::Spent));
    BudgetRow {
        service_code,
        budget: budget.map(money::kopecks),
        committed,
        spent,
        remaining: budget.map(|b| money::kopecks(b - committed - spent)),
    }
}

/// Pure: the year's status from its budget and the usage (entries of other years are ignored).
pub fn status(budget: &Budget, usage: &[BudgetUsage]) -> BudgetStatus {
    let usage: Vec<&BudgetUsage> = usage.iter().filter(|u| u.year == budget.year).collect();
    let mut codes: BTreeMap<&str, ()> = budget.lines.iter().map(|l| (l.service_code.as_str(), ())).collect();
    codes.extend(usage.iter().map(|u| (u.service_code.as_str(), ())));
    let lines = codes
        .keys()
        .map(|code| {
            let mine: Vec<&BudgetUsage> = usage.iter().copied().filter(|u| u.service_code == *code).collect();
            row(Some((*code).to_owned()), budget.line(code), &mine)
        })
        .collect();
    BudgetStatus {
        year: budget.year,
        lines,
        total: row(None, budget.effective_total(), &usage),
    }
}

/// The budget of `year` as stored (empty when none was set).
pub fn get(conn: &Db, year: i32) -> Result<Budget> {
    // Amounts are read through `Decimal`'s own check (a malformed or out-of-range value is an
    // error); the message says which budget it is in.
    let in_budget = |e: CoreError| CoreError::storage(format!("Смета {year}: {} Исправьте смету.", e.message));
    let total: Option<Option<Decimal>> = conn
        .query_opt("SELECT total FROM budget_year WHERE year = ?1", [year], |r| r.get(0))
        .map_err(in_budget)?;
    let total = total.flatten();
    let mut lines = conn
        .query_map(
            "SELECT service_code, amount FROM budget_line WHERE year = ?1",
            [year],
            |r| {
                Ok(BudgetLine {
                    service_code: r.get(0)?,
                    amount: r.get(1)?,
                })
            },
        )
        .map_err(in_budget)?;
    lines.sort_by_key(|l| catalog_order(&l.service_code));
    Ok(Budget { year, total, lines })
}

/// "4.10" after "4.9": codes compare by their numeric parts.
fn catalog_order(code: &str) -> Vec<u32> {
    code.split('.').map(|p| p.parse().unwrap_or(u32::MAX)).collect()
}

/// The usage of the year's budget by signed agreements (committed) and signed acts (spent).
pub fn usage(conn: &Db, year: i32) -> Result<Vec<BudgetUsage>> {
    crate::agreement::budget_usage(conn, year, None)
}

/// The budget screen of `year`: stored budget plus usage.
pub fn show(conn: &Db, year: i32) -> Result<BudgetStatus> {
    Ok(status(&get(conn, year)?, &usage(conn, year)?))
}

fn check_year(year: i32) -> Result<()> {
    if !(2000..=2100).contains(&year) {
        return Err(CoreError::field(
            "year",
            format!("Год {year}: укажите финансовый год от 2000 до 2100"),
        ));
    }
    Ok(())
}

fn check_amount(field: &str, amount: Decimal) -> Result<()> {
    let label = if field == "total" {
        "Итог сметы"
    } else {
        "Сумма по строке сметы"
    };
    money::check_rub(amount).map_err(|reason| CoreError::field(field, format!("{label}: {reason}")))?;
    Ok(())
}

fn write<F>(conn: &mut Db, ctx: &Ctx, year: i32, change: F) -> Result<Budget>
where
    F: FnOnce(&Db) -> Result<()>,
{
    let tx = conn.write(ctx, Right::Budget)?;
    let before = get(&tx, year)?;
    tx.execute(
        "INSERT INTO budget_year (year) VALUES (?1) ON CONFLICT DO NOTHING",
        [year],
    )?;
    change(&tx)?;
    let after = get(&tx, year)?;
    audit::record(
        &tx,
        ctx,
        "budget",
        year,
        AuditAction::Update,
        Some(&before),
        Some(&after),
    )?;
    tx.commit()?;
    Ok(after)
}

/// Sets the amount of one catalog row in the year's budget. The code must be a service of the
/// catalog in force in that year.
pub fn set_line(conn: &mut Db, ctx: &Ctx, year: i32, service_code: &str, amount: Decimal) -> Result<Budget> {
    check_year(year)?;
    check_amount("amount", amount)?;
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).expect("checked year");
    let cat = catalog::version_for(conn, year_end)?;
    let code = service_code.trim();
    if cat.service(code).is_none() {
        return Err(CoreError::field(
            "service_code",
            format!("Услуга «{code}»: нет в каталоге услуг на {year} год. Укажите код из каталога, например 4.2"),
        ));
    }
    let amount = money::kopecks(amount);
    write(conn, ctx, year, |tx| {
        tx.execute(
            "INSERT INTO budget_line (year, service_code, amount) VALUES (?1, ?2, ?3)
             ON CONFLICT (year, service_code) DO UPDATE SET amount = excluded.amount",
            params![year, code, amount.to_string()],
        )?;
        Ok(())
    })
}

/// Sets several lines of the year's budget at once (the demand forecast carried into next year's
/// budget): every code and amount checked first, then one change with one journal entry.
pub fn set_lines(conn: &mut Db, ctx: &Ctx, year: i32, lines: &[(String, Decimal)]) -> Result<Budget> {
    check_year(year)?;
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).expect("checked year");
    let cat = catalog::version_for(conn, year_end)?;
    for (code, amount) in lines {
        check_amount("amount", *amount)?;
        if cat.service(code).is_none() {
            return Err(CoreError::field(
                "service_code",
                format!("Услуга «{code}»: нет в каталоге услуг на {year} год"),
            ));
        }
    }
    write(conn, ctx, year, |tx| {
        for (code, amount) in lines {
            tx.execute(
                "INSERT INTO budget_line (year, service_code, amount) VALUES (?1, ?2, ?3)
                 ON CONFLICT (year, service_code) DO UPDATE SET amount = excluded.amount",
                params![year, code, money::kopecks(*amount).to_string()],
            )?;
        }
        Ok(())
    })
}

/// Sets (or with `None` clears, making it the sum of the lines) the year's total.
pub fn set_total(conn: &mut Db, ctx: &Ctx, year: i32, total: Option<Decimal>) -> Result<Budget> {
    check_year(year)?;
    if let Some(t) = total {
        check_amount("total", t)?;
    }
    write(conn, ctx, year, |tx| {
        tx.execute(
            "UPDATE budget_year SET total = ?2 WHERE year = ?1",
            params![year, total.map(|t| money::kopecks(t).to_string())],
        )?;
        Ok(())
    })
}

/// The financial year of a date (the calendar year in Russia).
pub fn year_of(date: NaiveDate) -> i32 {
    date.year()
}

/// The first day on which the budget of `year` can no longer pay an act: the carry-over day of
/// the next year (000 §6, «до 1 апреля года, следующего за отчетным»; the centre's setting).
pub fn carry_over_ends(year: i32, settings: &CofinancingSettings) -> NaiveDate {
    NaiveDate::from_ymd_opt(year + 1, settings.carry_over_month, settings.carry_over_day)
        .or_else(|| NaiveDate::from_ymd_opt(year + 1, 4, 1))
        .expect("a valid day")
}

/// Which year's budget pays an act signed on `signed_on` under an agreement dated
/// `agreement_date`. The agreement committed its centre share in its own year's budget («сметы
/// ЦПЭ на текущий финансовый год», footnote to §3 and §6.1.2 of 002); its acts spend that money
/// when signed before the carry-over day of the next year; an act signed later is paid from the
/// budget of the year it is signed in (and checked against it when signed).
pub fn act_budget_year(agreement_date: NaiveDate, signed_on: NaiveDate, settings: &CofinancingSettings) -> i32 {
    let year = agreement_date.year();
    if signed_on < carry_over_ends(year, settings) {
        year
    } else {
        signed_on.year()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn usage(code: &str, year: i32, kind: UsageKind, share: &str) -> BudgetUsage {
        BudgetUsage {
            service_code: code.into(),
            year,
            kind,
            centre_share: d(share),
        }
    }

    #[test]
    fn remaining_is_budget_minus_committed_minus_spent() {
        let budget = Budget {
            year: 2025,
            total: None,
            lines: vec![
                BudgetLine {
                    service_code: "4.2".into(),
                    amount: d("5000000"),
                },
                BudgetLine {
                    service_code: "4.4".into(),
                    amount: d("600000"),
                },
            ],
        };
        let used = [
            usage("4.2", 2025, UsageKind::Committed, "800000"),
            usage("4.2", 2025, UsageKind::Spent, "1000000.50"),
            usage("4.2", 2024, UsageKind::Spent, "999999"),
            usage("5.2", 2025, UsageKind::Spent, "100"),
        ];
        let s = status(&budget, &used);
        let l = s.line("4.2").unwrap();
        assert_eq!(
            (l.committed, l.spent, l.remaining),
            (d("800000"), d("1000000.50"), Some(d("3199999.50")))
        );
        assert_eq!(s.line("4.4").unwrap().remaining, Some(d("600000")));
        let unbudgeted = s.line("5.2").unwrap();
        assert_eq!(
            (unbudgeted.budget, unbudgeted.remaining, unbudgeted.spent),
            (None, None, d("100"))
        );
        assert_eq!(s.total.budget, Some(d("5600000")));
        assert_eq!(s.total.remaining, Some(d("3799899.50")));
    }

    #[test]
    fn explicit_total_wins_over_the_sum() {
        let budget = Budget {
            year: 2025,
            total: Some(d("1000")),
            lines: vec![BudgetLine {
                service_code: "4.2".into(),
                amount: d("5000"),
            }],
        };
        assert_eq!(status(&budget, &[]).total.remaining, Some(d("1000")));
        assert_eq!(status(&Budget::empty(2025), &[]).total.budget, None);
    }

    #[test]
    fn stores_lines_and_total_with_audit() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open_in(dir.path()).unwrap();
        let ctx = Ctx::new(
            "Тест",
            NaiveDate::from_ymd_opt(2025, 1, 10)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        );
        set_line(&mut conn, &ctx, 2025, "4.2", d("5000000")).unwrap();
        set_line(&mut conn, &ctx, 2025, "4.10", d("1")).unwrap_err();
        set_line(&mut conn, &ctx, 2025, "4.4", d("300000")).unwrap();
        let b = set_line(&mut conn, &ctx, 2025, "4.2", d("4500000")).unwrap();
        assert_eq!(
            b.lines
                .iter()
                .map(|l| (l.service_code.as_str(), l.amount))
                .collect::<Vec<_>>(),
            [("4.2", d("4500000")), ("4.4", d("300000"))]
        );
        assert_eq!(
            set_total(&mut conn, &ctx, 2025, Some(d("4000000")))
                .unwrap()
                .effective_total(),
            Some(d("4000000"))
        );
        assert_eq!(
            set_total(&mut conn, &ctx, 2025, None).unwrap().effective_total(),
            Some(d("4800000"))
        );
        assert_eq!(
            set_line(&mut conn, &ctx, 2025, "4.2", d("-1"))
                .unwrap_err()
                .field
                .as_deref(),
            Some("amount")
        );
        assert_eq!(
            set_line(&mut conn, &ctx, 2025, "4.2", d("1.001"))
                .unwrap_err()
                .field
                .as_deref(),
            Some("amount")
        );
        assert_eq!(get(&conn, 2024).unwrap(), Budget::empty(2024));
        assert_eq!(
            crate::audit::list(&conn, Some("budget"), Some("2025"), 100)
                .unwrap()
                .len(),
            5
        );
    }

    /// 000 §6 / 002 §6.1.2: which year's budget pays an act, for an agreement of 10.12.2024.
    #[test]
    fn an_act_spends_its_agreements_year_until_the_carry_over_day() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%d.%m.%Y").unwrap();
        let with = |month, day| CofinancingSettings {
            carry_over_month: month,
            carry_over_day: day,
            ..CofinancingSettings::default()
        };
        let default = CofinancingSettings::default();
        let agreement = day("10.12.2024");
        let cases = [
            ("20.12.2024", &default, 2024, "in its own year"),
            ("15.01.2025", &default, 2024, "January of the next year"),
            ("31.03.2025", &default, 2024, "the last day of the carry-over"),
            ("01.04.2025", &default, 2025, "the carry-over day itself is too late"),
            ("15.01.2026", &default, 2026, "two years on: the signing year"),
            ("15.01.2025", &with(1, 1), 2025, "no carry-over"),
            ("30.06.2025", &with(7, 1), 2024, "carry-over to 1 July"),
            ("01.07.2025", &with(7, 1), 2025, "after 1 July"),
        ];
        for (signed, settings, year, why) in cases {
            assert_eq!(
                act_budget_year(agreement, day(signed), settings),
                year,
                "{signed}: {why}"
            );
        }
        assert_eq!(carry_over_ends(2024, &default), day("01.04.2025"));
    }
}
