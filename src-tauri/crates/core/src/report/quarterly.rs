//! Quarterly monitoring (000 §4): the three KPIs from the start of the year to the end of a quarter against the region's targets, the quarter's own figures, and the services per catalog row — due by the 6th working day after the quarter, with its reminder on the home screen.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, Weekday};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::data::{self, FreeSource, YearData};
use super::format_usd_thousand;
use super::targets::{self, KpiTargets};
use super::xlsx::{self, SheetSpec, XCell};
use super::yearly::{code_order, kpis_months, Kpis};
use super::yearly_pdf::{head_row, heading};
use crate::db::Db;
use crate::document::{self, Align, Block, Cell, Document, Meta, Para, Row, Span, Table};
use crate::error::{CoreError, Result};
use crate::money::{self, format_amount};

/// The working days after the end of a quarter by which its monitoring is due (000 §4).
pub const DUE_WORKING_DAYS: u32 = 6;

/// One catalog row: the services of the quarter and of the year up to the quarter's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QuarterRow {
    pub service_code: String,
    pub service_name: String,
    /// Agreements with an act dated in the quarter, consultations, and seminars attended.
    pub quarter_services: u32,
    pub quarter_smes: u32,
    #[ts(type = "string")]
    pub quarter_centre_share: Decimal,
    /// The same from 1 January to the quarter's end.
    pub ytd_services: u32,
    pub ytd_smes: u32,
    #[ts(type = "string")]
    pub ytd_centre_share: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QuarterlyReport {
    pub year: i32,
    /// 1–4.
    pub quarter: u32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The 6th working day after `to`.
    pub due_on: NaiveDate,
    /// From 1 January to the quarter's end: what the targets are measured against.
    pub kpis: Kpis,
    /// Within the quarter only.
    pub quarter_kpis: Kpis,
    pub targets: KpiTargets,
    pub rows: Vec<QuarterRow>,
    /// Totals of `rows` (service code and name empty; SMEs counted once).
    pub total: QuarterRow,
}

/// Roman numeral of a quarter, as Russian reports write it.
pub fn roman(quarter: u32) -> &'static str {
    ["I", "II", "III", "IV"]
        .get(quarter as usize - 1)
        .copied()
        .unwrap_or("?")
}

fn bounds(year: i32, quarter: u32) -> Result<(NaiveDate, NaiveDate)> {
    let bad = || CoreError::field("quarter", format!("Квартал {quarter}: укажите квартал от 1 до 4"));
    if !(1..=4).contains(&quarter) {
        return Err(bad());
    }
    let from = NaiveDate::from_ymd_opt(year, quarter * 3 - 2, 1)
        .ok_or_else(|| CoreError::field("year", format!("Год {year}: укажите год, например 2026")))?;
    let to = from
        .checked_add_months(chrono::Months::new(3))
        .and_then(|d| d.pred_opt())
        .ok_or_else(bad)?;
    Ok((from, to))
}

/// The due day: the 6th working day after the quarter by the production calendar; by weekdays
/// when the calendar lacks the year (a fourth quarter before next year's calendar is loaded).
pub fn due_on(conn: &Db, year: i32, quarter: u32) -> Result<NaiveDate> {
    let (_, to) = bounds(year, quarter)?;
    let cal = crate::calendar::store::load(conn)?;
    if let Ok(day) = cal.add_working_days(to, DUE_WORKING_DAYS) {
        return Ok(day);
    }
    let mut day = to;
    let mut left = DUE_WORKING_DAYS;
    while left > 0 {
        day = day + Days::new(1);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    Ok(day)
}

/// A catalog row's (or, for an empty code, every row's) figures over the months `from..=to`: acts,
/// consultations and seminars attended — the same support KPI 1 counts.
fn row(d: &YearData, code: &str, quarter: (u32, u32), ytd: (u32, u32)) -> QuarterRow {
    let figures = |(from, to): (u32, u32)| {
        let months = from..=to;
        let ours = |c: &str| code.is_empty() || c == code;
        let mine: Vec<_> = d
            .services
            .iter()
            .filter(|s| ours(&s.service_code) && months.contains(&s.date.month()))
            .collect();
        let free: Vec<_> = d
            .free_support
            .iter()
            .filter(|s| ours(&s.service_code) && months.contains(&s.date.month()))
            .collect();
        let events: BTreeSet<i64> = free
            .iter()
            .filter(|s| s.source == FreeSource::Event)
            .map(|s| s.id)
            .collect();
        let event_cost: Decimal = events.iter().filter_map(|id| d.event_costs.get(id)).sum();
        let services = mine.iter().map(|s| s.agreement_id).collect::<BTreeSet<_>>().len()
            + free
                .iter()
                .map(|s| (s.source == FreeSource::Event, s.id))
                .collect::<BTreeSet<_>>()
                .len();
        let smes: BTreeSet<i64> = mine
            .iter()
            .map(|s| s.sme_id)
            .chain(free.iter().map(|s| s.sme_id))
            .collect();
        (
            services as u32,
            smes.len() as u32,
            money::kopecks(mine.iter().map(|s| s.centre_share).sum::<Decimal>() + event_cost),
        )
    };
    let (qs, qm, qc) = figures(quarter);
    let (ys, ym, yc) = figures(ytd);
    QuarterRow {
        service_code: code.to_owned(),
        service_name: d.service_name(code).to_owned(),
        quarter_services: qs,
        quarter_smes: qm,
        quarter_centre_share: qc,
        ytd_services: ys,
        ytd_smes: ym,
        ytd_centre_share: yc,
    }
}

/// Pure: the quarter's monitoring from the year's data.
pub fn build(d: &YearData, quarter: u32, due_on: NaiveDate) -> Result<QuarterlyReport> {
    let (from, to) = bounds(d.year, quarter)?;
    let last = quarter * 3;
    let (in_quarter, ytd) = ((last - 2, last), (1, last));
    let mut codes: Vec<String> = d
        .services
        .iter()
        .filter(|s| s.date.month() <= last)
        .map(|s| s.service_code.clone())
        .chain(
            d.free_support
                .iter()
                .filter(|s| s.date.month() <= last)
                .map(|s| s.service_code.clone()),
        )
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    codes.sort_by_key(|c| code_order(c));
    Ok(QuarterlyReport {
        year: d.year,
        quarter,
        from,
        to,
        due_on,
        kpis: kpis_months(d, 1, last),
        quarter_kpis: kpis_months(d, last - 2, last),
        targets: d.targets.clone(),
        rows: codes.iter().map(|c| row(d, c, in_quarter, ytd)).collect(),
        total: row(d, "", in_quarter, ytd),
    })
}

/// The monitoring of a quarter read from the database.
pub fn quarterly(conn: &Db, year: i32, quarter: u32) -> Result<QuarterlyReport> {
    let due = due_on(conn, year, quarter)?;
    build(&data::load(conn, year)?, quarter, due)
}

/// A quarter whose monitoring is due and not yet saved or opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QuarterReminder {
    pub year: i32,
    pub quarter: u32,
    pub due_on: NaiveDate,
}

/// The report's title.
pub fn title(year: i32, quarter: u32) -> String {
    format!("Мониторинг КПЭ за {} квартал {year} г.", roman(quarter))
}

/// The file name without extension: the journal records it when the report is saved, and that
/// entry ends the reminder.
pub fn file_stem(year: i32, quarter: u32) -> String {
    format!("Мониторинг КПЭ {} квартал {year}", roman(quarter))
}

/// From the day after a quarter to its due day, until the monitoring is saved to a file.
pub fn reminder(conn: &Db, today: NaiveDate) -> Result<Option<QuarterReminder>> {
    let current = (today.month() - 1) / 3 + 1;
    let (year, quarter) = if current == 1 {
        (today.year() - 1, 4)
    } else {
        (today.year(), current - 1)
    };
    let due = due_on(conn, year, quarter)?;
    if today > due {
        return Ok(None);
    }
    let saved: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM audit_log WHERE entity = 'report' AND instr(after_json, ?1) > 0)",
        [format!("{}.", file_stem(year, quarter))],
        |r| r.get(0),
    )?;
    Ok((!saved).then_some(QuarterReminder {
        year,
        quarter,
        due_on: due,
    }))
}

const KPI_NAMES: [&str; 3] = [
    "Количество субъектов МСП, получивших поддержку",
    "Количество субъектов МСП, заключивших экспортные контракты по результатам поддержки",
    "Объём поддержанного экспорта, тыс. долл. США",
];

fn figure(n: usize, v: Decimal) -> String {
    if n == 2 {
        format_usd_thousand(v)
    } else {
        v.to_string()
    }
}

fn kpi_values(k: &Kpis) -> [Decimal; 3] {
    [
        k.smes_supported.into(),
        k.smes_with_contracts.into(),
        k.export_volume_usd_thousand,
    ]
}

/// The document of the quarter's monitoring.
pub fn document(r: &QuarterlyReport, centre_name: &str, created: NaiveDateTime) -> Document {
    let title = title(r.year, r.quarter);
    let short = crate::document::dates::short;
    let plan = targets::plan_vs_actual(&r.kpis, &r.targets);
    let quarter = kpi_values(&r.quarter_kpis);
    let kpi_rows = (0..3)
        .map(|n| {
            let (actual, target, percent) = plan[n];
            Row::new(vec![
                Cell::new((n + 1).to_string()).centre(),
                Cell::new(KPI_NAMES[n]),
                Cell::new(figure(n, quarter[n])).right(),
                Cell::new(figure(n, actual)).right().bold(),
                Cell::new(target.map(|t| figure(n, t)).unwrap_or_else(|| "—".into())).right(),
                Cell::new(percent.map(targets::format_percent).unwrap_or_else(|| "—".into())).right(),
            ])
        })
        .collect();
    let count = |n: u32| Cell::new(n.to_string()).right();
    let mut rows: Vec<Row> = r
        .rows
        .iter()
        .map(|q| {
            Row::new(vec![
                Cell::new(format!("{} {}", q.service_code, q.service_name)),
                count(q.quarter_services),
                count(q.quarter_smes),
                Cell::new(format_amount(q.quarter_centre_share)).right(),
                count(q.ytd_services),
                count(q.ytd_smes),
                Cell::new(format_amount(q.ytd_centre_share)).right(),
            ])
        })
        .collect();
    let t = &r.total;
    rows.push(Row::new(vec![
        Cell::new("Итого").bold(),
        count(t.quarter_services).bold(),
        count(t.quarter_smes).bold(),
        Cell::new(format_amount(t.quarter_centre_share)).right().bold(),
        count(t.ytd_services).bold(),
        count(t.ytd_smes).bold(),
        Cell::new(format_amount(t.ytd_centre_share)).right().bold(),
    ]));
    let blocks = vec![
        Block::Para(Para::text(Align::Centre, centre_name).size(11.0)),
        Block::Para(
            Para::new(Align::Centre, vec![Span::bold(&title)])
                .size(14.0)
                .spacing(6.0, 4.0),
        ),
        Block::Para(
            Para::text(
                Align::Centre,
                format!(
                    "Период: {} – {}; с начала года по {}. Срок представления — {} ({}-й рабочий день после квартала).",
                    short(r.from),
                    short(r.to),
                    short(r.to),
                    short(r.due_on),
                    DUE_WORKING_DAYS
                ),
            )
            .size(10.0)
            .spacing(0.0, 8.0),
        ),
        heading("Ключевые показатели (Региональный экспортный стандарт, версия 2.0, п. 6)"),
        Block::Table(Table::new(
            vec![10.0, 76.0, 22.0, 26.0, 22.0, 24.0],
            vec![head_row(&["№", "Показатель", "За квартал", "С начала года", "План на год", "Исполнено"])],
            kpi_rows,
        )),
        heading("Услуги по позициям каталога"),
        Block::Table(Table::new(
            vec![58.0, 16.0, 14.0, 26.0, 16.0, 14.0, 26.0],
            vec![head_row(&[
                "Услуга",
                "Услуг за квартал",
                "СМСП",
                "Доля ЦПЭ, руб.",
                "Услуг с начала года",
                "СМСП",
                "Доля ЦПЭ, руб.",
            ])],
            rows,
        )),
        Block::Para(
            Para::text(
                Align::Left,
                "Услуга засчитывается в квартале даты подписанного акта; субъект МСП в каждой графе считается один раз.",
            )
            .size(9.0)
            .spacing(6.0, 0.0),
        ),
    ];
    Document {
        meta: Meta {
            title: title.clone(),
            author: centre_name.to_owned(),
            subject: title,
            created,
        },
        sections: vec![blocks],
    }
}

pub fn pdf(r: &QuarterlyReport, centre_name: &str, created: NaiveDateTime) -> Result<Vec<u8>> {
    document::render(&document(r, centre_name, created))
}

/// «Показатели» (quarter, year to date, plan, percent) and «По услугам».
pub fn xlsx(r: &QuarterlyReport) -> Result<Vec<u8>> {
    let plan = targets::plan_vs_actual(&r.kpis, &r.targets);
    let quarter = kpi_values(&r.quarter_kpis);
    let cell = |n: usize, v: Decimal| {
        if n == 2 {
            XCell::Usd(v)
        } else {
            XCell::Count(v.to_u32().unwrap_or(0))
        }
    };
    let kpis = SheetSpec {
        name: "Показатели",
        columns: vec![
            ("Показатель", 70.0),
            ("За квартал", 14.0),
            ("С начала года", 14.0),
            ("План на год", 14.0),
            ("Исполнено, %", 14.0),
        ],
        rows: (0..3)
            .map(|n| {
                let (actual, target, percent) = plan[n];
                vec![
                    XCell::Text(KPI_NAMES[n].into()),
                    cell(n, quarter[n]),
                    cell(n, actual),
                    target.map(|t| cell(n, t)).unwrap_or(XCell::Empty),
                    percent.map(XCell::Percent).unwrap_or(XCell::Empty),
                ]
            })
            .collect(),
        totals: false,
    };
    let services = SheetSpec {
        name: "По услугам",
        columns: vec![
            ("Код", 8.0),
            ("Услуга", 50.0),
            ("Услуг за квартал", 12.0),
            ("СМСП за квартал", 12.0),
            ("Доля ЦПЭ за квартал, руб.", 18.0),
            ("Услуг с начала года", 12.0),
            ("СМСП с начала года", 12.0),
            ("Доля ЦПЭ с начала года, руб.", 18.0),
        ],
        // The total row is the report's (an SME served under two rows counts once), not a sum.
        rows: r
            .rows
            .iter()
            .chain([&r.total])
            .map(|q| {
                vec![
                    XCell::Text(q.service_code.clone()),
                    XCell::Text(if q.service_code.is_empty() {
                        "Итого".into()
                    } else {
                        q.service_name.clone()
                    }),
                    XCell::Count(q.quarter_services),
                    XCell::Count(q.quarter_smes),
                    XCell::Money(q.quarter_centre_share),
                    XCell::Count(q.ytd_services),
                    XCell::Count(q.ytd_smes),
                    XCell::Money(q.ytd_centre_share),
                ]
            })
            .collect(),
        totals: false,
    };
    xlsx::workbook(&[kpis, services])
}
