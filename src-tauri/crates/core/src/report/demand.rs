//! The demand analysis for next year (§7.1, due by 1 December): this year's applications and services per catalog row, the staff's forecast per row (saved with an audit entry) and the budget it implies; printable.

use crate::staff::Right;
use std::collections::BTreeMap;

use crate::db::Db;
use crate::params;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::data;
use super::yearly::code_order;
use super::yearly_pdf::head_row;
use crate::audit::{self, AuditAction, Ctx};
use crate::document::{self, Align, Block, Cell, Document, Meta, Para, Row, Span, Table};
use crate::error::{CoreError, Problems, Result};
use crate::money::{self, format_amount};

/// The staff's forecast for one catalog row of the planned year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ForecastInput {
    /// The planned year.
    pub year: i32,
    pub item_code: String,
    pub services: u32,
    /// The centre's spending the forecast implies, roubles (as typed).
    pub amount: String,
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DemandRow {
    pub item_code: String,
    pub service_name: String,
    /// Applications received in the base year (the year before the planned one).
    pub applications: u32,
    /// Services given in the base year (agreements with a signed act dated in it).
    pub services: u32,
    /// The centre's share of those services.
    #[ts(type = "string")]
    pub spent: Decimal,
    pub forecast_services: Option<u32>,
    #[ts(type = "string | null")]
    pub forecast_amount: Option<Decimal>,
    pub comment: String,
    /// Who saved the forecast last, and when.
    pub updated_by: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DemandAnalysis {
    /// The planned year.
    pub year: i32,
    pub base_year: i32,
    pub rows: Vec<DemandRow>,
    pub total_applications: u32,
    pub total_services: u32,
    #[ts(type = "string")]
    pub total_spent: Decimal,
    pub total_forecast_services: u32,
    /// The budget the forecast implies.
    #[ts(type = "string")]
    pub total_forecast_amount: Decimal,
}

/// «Перенести в смету»: next year's budget lines become the forecast's amounts (rows without a
/// forecast are left as they are), in one change of the budget with its journal entry.
pub fn to_budget(conn: &mut Db, ctx: &Ctx, year: i32) -> Result<crate::budget::Budget> {
    ctx.require(Right::Budget)?;
    let a = analysis(conn, year)?;
    let lines: Vec<(String, Decimal)> = a
        .rows
        .iter()
        .filter_map(|r| r.forecast_amount.map(|amount| (r.item_code.clone(), amount)))
        .collect();
    if lines.is_empty() {
        return Err(CoreError::new(
            crate::error::ErrorCode::Rule,
            format!("Прогноз на {year} год не заполнен: переносить в смету нечего"),
        ));
    }
    crate::budget::set_lines(conn, ctx, year, &lines)
}

/// The home screen's reminder of the demand analysis (§7.1: by 1 December), from 15 November; after
/// the due day it stays until the year ends while no forecast is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DemandReminder {
    /// The planned year.
    pub year: i32,
    pub due: NaiveDate,
    /// Catalog rows with a saved forecast, of those with applications or services this year.
    pub filled: u32,
    pub rows: u32,
    pub overdue: bool,
}

pub fn reminder(conn: &Db, today: NaiveDate) -> Result<Option<DemandReminder>> {
    use chrono::Datelike;
    let year = today.year();
    let (from, due) = match (
        NaiveDate::from_ymd_opt(year, 11, 15),
        NaiveDate::from_ymd_opt(year, 12, 1),
    ) {
        (Some(f), Some(d)) => (f, d),
        _ => return Ok(None),
    };
    if today < from {
        return Ok(None);
    }
    let a = analysis(conn, year + 1)?;
    let filled = a.rows.iter().filter(|r| r.forecast_amount.is_some()).count() as u32;
    let overdue = today > due;
    if overdue && filled > 0 {
        return Ok(None);
    }
    Ok(Some(DemandReminder {
        year: year + 1,
        due,
        filled,
        rows: a.rows.len() as u32,
        overdue,
    }))
}

fn check_year(year: i32) -> Result<()> {
    if !(2001..=2100).contains(&year) {
        return Err(CoreError::field(
            "year",
            format!("Год {year}: укажите планируемый год от 2001 до 2100"),
        ));
    }
    Ok(())
}

/// The analysis for the planned `year` (the base year is the one before it).
pub fn analysis(conn: &Db, year: i32) -> Result<DemandAnalysis> {
    check_year(year)?;
    let base = year - 1;
    let names = data::service_names(conn, NaiveDate::from_ymd_opt(base, 12, 31).unwrap_or_default())?;
    let mut apps: BTreeMap<String, u32> = BTreeMap::new();
    let rows = conn.query_map(
        "SELECT service_code, count(*) FROM application WHERE received_on BETWEEN ?1 AND ?2 GROUP BY service_code",
        params![format!("{base:04}-01-01"), format!("{base:04}-12-31")],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)),
    )?;
    for r in rows {
        let (code, n) = r;
        apps.insert(code, n);
    }
    let acts = data::signed_acts(conn, &format!("{base:04}-01-01"), &format!("{base:04}-12-31"))?;
    let mut given: BTreeMap<String, (std::collections::BTreeSet<i64>, Decimal)> = BTreeMap::new();
    for a in &acts {
        let e = given.entry(a.service_code.clone()).or_default();
        e.0.insert(a.agreement_id);
        e.1 += a.centre_share;
    }
    let mut forecasts: BTreeMap<String, (u32, Decimal, String, String, String)> = BTreeMap::new();
    let rows = conn.query_map(
        "SELECT item_code, services, amount, comment, updated_by, updated_at FROM demand_forecast WHERE year = ?1",
        [year],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                (r.get(1)?, money::column(r, 2)?, r.get(3)?, r.get(4)?, r.get(5)?),
            ))
        },
    )?;
    for r in rows {
        let (code, f) = r;
        forecasts.insert(code, f);
    }
    let mut codes: Vec<String> = names.keys().cloned().collect();
    for c in apps.keys().chain(given.keys()).chain(forecasts.keys()) {
        if !codes.contains(c) {
            codes.push(c.clone());
        }
    }
    codes.sort_by_key(|c| code_order(c));
    let rows: Vec<DemandRow> = codes
        .into_iter()
        .map(|code| {
            let f = forecasts.get(&code);
            let g = given.get(&code);
            DemandRow {
                service_name: names.get(&code).cloned().unwrap_or_default(),
                applications: apps.get(&code).copied().unwrap_or(0),
                services: g.map_or(0, |g| g.0.len() as u32),
                spent: money::kopecks(g.map_or(Decimal::ZERO, |g| g.1)),
                forecast_services: f.map(|f| f.0),
                forecast_amount: f.map(|f| f.1),
                comment: f.map(|f| f.2.clone()).unwrap_or_default(),
                updated_by: f.map(|f| f.3.clone()).unwrap_or_default(),
                updated_at: f.map(|f| f.4.clone()).unwrap_or_default(),
                item_code: code,
            }
        })
        .collect();
    Ok(DemandAnalysis {
        year,
        base_year: base,
        total_applications: rows.iter().map(|r| r.applications).sum(),
        total_services: rows.iter().map(|r| r.services).sum(),
        total_spent: money::kopecks(rows.iter().map(|r| r.spent).sum()),
        total_forecast_services: rows.iter().filter_map(|r| r.forecast_services).sum(),
        total_forecast_amount: money::kopecks(rows.iter().filter_map(|r| r.forecast_amount).sum()),
        rows,
    })
}

#[derive(Serialize)]
struct Stored<'a> {
    year: i32,
    item_code: &'a str,
    services: u32,
    amount: String,
    comment: &'a str,
}

/// Saves the forecast of one catalog row (creates or replaces it), with an audit entry, in one transaction.
pub fn save_forecast(conn: &mut Db, ctx: &Ctx, input: &ForecastInput) -> Result<DemandAnalysis> {
    crate::fields::refuse_bad(input)?;
    let mut p = Problems::default();
    if let Err(e) = check_year(input.year) {
        p.push("year", e.message);
    }
    let code = input.item_code.trim();
    let names = data::service_names(
        conn,
        NaiveDate::from_ymd_opt(input.year - 1, 12, 31).unwrap_or_default(),
    )?;
    if !names.contains_key(code) {
        p.push(
            "item_code",
            format!("Услуга «{code}»: такой позиции нет в каталоге услуг. Выберите услугу из каталога."),
        );
    }
    let amount = match money::parse_rub(&input.amount) {
        Ok(a) if a.is_sign_negative() => {
            p.push(
                "amount",
                format!("Сумма {}: укажите неотрицательную сумму", input.amount),
            );
            None
        }
        Ok(a) => Some(money::kopecks(a)),
        Err(why) => {
            p.push("amount", format!("Сумма «{}»: {why}", input.amount));
            None
        }
    };
    p.into_result()?;
    let amount = amount.unwrap_or_default();
    let tx = conn.write(ctx, Right::Applications)?;
    let key = format!("{}/{code}", input.year);
    let before: Option<(u32, String, String)> = tx.query_opt(
        "SELECT services, amount, comment FROM demand_forecast WHERE year = ?1 AND item_code = ?2",
        params![input.year, code],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let comment = input.comment.trim();
    tx.execute(
        "INSERT INTO demand_forecast (year, item_code, services, amount, comment, updated_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (year, item_code) DO UPDATE SET services = excluded.services, amount = excluded.amount,
           comment = excluded.comment, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        params![
            input.year,
            code,
            input.services,
            money::plain(amount),
            comment,
            ctx.actor,
            ctx.stamp()
        ],
    )?;
    let before_rec = before.as_ref().map(|(services, amount, comment)| Stored {
        year: input.year,
        item_code: code,
        services: *services,
        amount: amount.clone(),
        comment,
    });
    let after = Stored {
        year: input.year,
        item_code: code,
        services: input.services,
        amount: money::plain(amount),
        comment,
    };
    let action = if before_rec.is_some() {
        AuditAction::Update
    } else {
        AuditAction::Create
    };
    audit::record(
        &tx,
        ctx,
        "demand_forecast",
        key,
        action,
        before_rec.as_ref(),
        Some(&after),
    )?;
    tx.commit()?;
    analysis(conn, input.year)
}

/// The analysis as a PDF.
pub fn pdf(a: &DemandAnalysis, centre_name: &str, created: NaiveDateTime) -> Result<Vec<u8>> {
    let opt_count = |n: Option<u32>| Cell::new(n.map_or("—".into(), |n| n.to_string())).right();
    let mut rows: Vec<Row> = a
        .rows
        .iter()
        .map(|r| {
            Row::new(vec![
                Cell::new(format!("{} {}", r.item_code, r.service_name)),
                Cell::new(r.applications.to_string()).right(),
                Cell::new(r.services.to_string()).right(),
                Cell::new(format_amount(r.spent)).right(),
                opt_count(r.forecast_services),
                Cell::new(r.forecast_amount.map_or("—".into(), format_amount)).right(),
                Cell::new(&r.comment),
            ])
        })
        .collect();
    rows.push(Row::new(vec![
        Cell::new("Итого").bold(),
        Cell::new(a.total_applications.to_string()).right().bold(),
        Cell::new(a.total_services.to_string()).right().bold(),
        Cell::new(format_amount(a.total_spent)).right().bold(),
        Cell::new(a.total_forecast_services.to_string()).right().bold(),
        Cell::new(format_amount(a.total_forecast_amount)).right().bold(),
        Cell::new(""),
    ]));
    let b = a.base_year;
    let mut table = Table::new(
        vec![50.0, 16.0, 16.0, 24.0, 16.0, 24.0, 24.0],
        vec![head_row(&[
            "Услуга",
            &format!("Заявок {b}"),
            &format!("Услуг {b}"),
            &format!("Расходы ЦПЭ {b}, руб."),
            &format!("Прогноз услуг {}", a.year),
            &format!("Потребность {}, руб.", a.year),
            "Комментарий",
        ])],
        rows,
    );
    table.size = 8.0;
    let title = format!("Анализ потребности в услугах на {} год", a.year);
    let doc = Document {
        meta: Meta {
            title: title.clone(),
            author: centre_name.to_owned(),
            subject: "Анализ потребности (п. 7.1)".into(),
            created,
        },
        sections: vec![vec![
            Block::Para(Para::text(Align::Centre, centre_name).size(11.0)),
            Block::Para(Para::new(Align::Centre, vec![Span::bold(&title)]).size(13.0).spacing(4.0, 8.0)),
            Block::Para(
                Para::text(
                    Align::Justify,
                    format!(
                        "Обращения и оказанные услуги {b} года по позициям каталога, прогноз количества услуг на {} год и необходимый объём финансирования (п. 7.1 Регламента).",
                        a.year
                    ),
                )
                .size(10.5),
            ),
            Block::Table(table),
            Block::Para(
                Para::new(
                    Align::Left,
                    vec![
                        Span::plain("Потребность в финансировании на "),
                        Span::plain(format!("{} год: ", a.year)),
                        Span::bold(format!("{} руб.", format_amount(a.total_forecast_amount))),
                    ],
                )
                .size(11.0)
                .spacing(6.0, 4.0),
            ),
        ]],
    };
    document::render(&doc)
}
