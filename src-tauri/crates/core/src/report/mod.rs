//! Reports of the centre: the yearly report to the region with its three KPIs, the registry of support recipients (§2.14), the demand analysis for next year (§7.1), the home-screen dashboard, and the records behind every figure.
//!
//! # What the figures count (the definitions the region reads)
//!
//! - **A service given** in year Y is an act signed by both parties (`act.signed_on` set) whose
//!   date (`act.date`) falls in Y. Consultations (catalog rows 1, 2, 3.x) are given without an
//!   agreement and act: they are the journal of `consultation` and count as support received in
//!   KPI 1 when they name an SME of the registry (a person not yet registered does not count).
//!   Seminars and master classes (4.1.x) are `event`s: a business that attended one not cancelled
//!   received support on the event's last day (registration alone is not support). Per catalog
//!   item «услуг оказано» is the number of agreements with such an act (a complex service closed by
//!   three stage acts is one service), of consultations, and of events with attendance; «СМСП» the
//!   distinct businesses; «участников» the businesses present summed over the events. The cost is
//!   the sum of those acts (and of those events' cost to the centre), the centre's part their
//!   `centre_share` (an event is paid wholly by the centre), the SME's part the difference.
//! - **KPI 1, businesses supported**: distinct SMEs with a service given, a consultation or the
//!   attendance of an event in Y (a business is counted once whichever support it got).
//! - **KPI 2, businesses with export contracts as a result of support**: distinct SMEs with an
//!   export contract or an international e-commerce sale (§5.5.2 reports both the same way) dated
//!   in Y and linked to the support it results from (`export_contract.agreement_id` set). A
//!   contract the SME reported without such a link is shown nowhere in the KPIs, nor is one
//!   concluded before the agreement it is linked to (no result of that support; its card says so).
//! - **KPI 3, supported export volume**: the sum of `export_contract_volume.usd_thousand` for year
//!   Y of the linked contracts, whatever the contract's date (a 2024 contract delivering in 2025
//!   counts in 2025). The thousand dollars were converted when the contract was entered, at the
//!   Central Bank's rates on the contract date, and are stored; the report never converts again.
//! - **SME cofinancing collected**: payments of the SME's share received in Y, by the catalog row
//!   of their agreement. **Centre spending vs budget** comes from the budget module
//!   ([`crate::budget::show`]): an act's centre share is spent from the budget of its agreement's
//!   year when the act is signed before the carry-over day of the next year (1 April by default,
//!   000 §6), otherwise from the budget of the year it is signed in
//!   ([`crate::budget::act_budget_year`]). So a December agreement's act of January is a service
//!   of the new year in the KPIs (by its date) but money of the old year's budget. An event's cost
//!   is committed while it is planned and spent once held, in the budget of the year it ends in
//!   ([`crate::event::budget_usage`]).
//! - **The plan of events** (000 §11): events marked «в плане» that start in Y; carried out = held or
//!   closed; the standard expects at least 80 % ([`crate::event::plan`]).
//! - **Quarterly monitoring** (000 §4): the same definitions from 1 January to the quarter's end
//!   (what the year's targets are measured against) and within the quarter; due by the 6th
//!   working day after the quarter ([`quarterly`]).
//! - **By month**: a service in the month of its act's date; a contract in the month of its date;
//!   the volume of a contract dated before Y is shown in January (it was known from the start of
//!   the year).
//!
//! Every function takes the year (or period) and reads the data; none reads the clock. The figures
//! are computed from one [`data::YearData`] snapshot, and [`trace`] filters the same rows, so a
//! figure and the list behind it cannot disagree.

pub mod dashboard;
pub mod data;
pub mod demand;
pub mod quarterly;
pub mod recipients;
pub mod targets;
pub mod trace;
pub mod xlsx;
pub mod yearly;
pub mod yearly_pdf;

#[cfg(test)]
mod quarterly_tests;
#[cfg(test)]
pub(crate) mod tests;

use std::path::Path;

use crate::db::Db;
use crate::error::{CoreError, ErrorCode, Result};

/// Output formats of the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReportFormat {
    Pdf,
    Xlsx,
    Csv,
}

impl ReportFormat {
    pub fn parse(s: &str) -> Option<ReportFormat> {
        match s.to_lowercase().as_str() {
            "pdf" => Some(ReportFormat::Pdf),
            "xlsx" => Some(ReportFormat::Xlsx),
            "csv" => Some(ReportFormat::Csv),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportFormat::Pdf => "PDF",
            ReportFormat::Xlsx => "XLSX",
            ReportFormat::Csv => "CSV",
        }
    }
}

/// Writes a report's bytes to the file the user chose.
pub fn save(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| {
        CoreError::new(
            ErrorCode::File,
            format!("Не удалось записать файл {}: {e}", path.display()),
        )
    })
}

/// The name printed at the head of the reports: the centre's full name, or its short one.
pub fn centre_name(conn: &Db) -> Result<String> {
    let c = crate::centre::get(conn)?;
    Ok([c.full_name, c.short_name]
        .into_iter()
        .find(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "Центр поддержки экспорта".to_owned()))
}

fn unsupported(report: &str, format: ReportFormat, allowed: &str) -> CoreError {
    CoreError::field(
        "format",
        format!(
            "{report}: формат {} не поддерживается. Выберите {allowed}.",
            format.label()
        ),
    )
}

/// The yearly report of `year` as PDF or XLSX bytes.
pub fn yearly_bytes(conn: &Db, year: i32, format: ReportFormat, created: chrono::NaiveDateTime) -> Result<Vec<u8>> {
    let r = yearly::yearly(conn, year)?;
    match format {
        ReportFormat::Pdf => yearly_pdf::pdf(&r, &centre_name(conn)?, created),
        ReportFormat::Xlsx => xlsx::yearly(&r),
        ReportFormat::Csv => Err(unsupported("Годовой отчёт", format, "PDF или XLSX")),
    }
}

/// The registry of support recipients of a period as PDF, XLSX or CSV bytes.
pub fn recipients_bytes(
    conn: &Db,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    format: ReportFormat,
    created: chrono::NaiveDateTime,
) -> Result<Vec<u8>> {
    let r = recipients::registry(conn, from, to)?;
    match format {
        ReportFormat::Pdf => recipients::pdf(&r, &centre_name(conn)?, created),
        ReportFormat::Xlsx => recipients::xlsx(&r),
        ReportFormat::Csv => recipients::csv(&r),
    }
}

/// The demand analysis for the planned `year` as PDF bytes.
pub fn demand_bytes(conn: &Db, year: i32, format: ReportFormat, created: chrono::NaiveDateTime) -> Result<Vec<u8>> {
    match format {
        ReportFormat::Pdf => demand::pdf(&demand::analysis(conn, year)?, &centre_name(conn)?, created),
        _ => Err(unsupported("Анализ потребности", format, "PDF")),
    }
}

/// Which report to make (the «Отчёты» screen sends one of these).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(tag = "report", rename_all = "snake_case")]
#[ts(export)]
pub enum ReportRequest {
    Yearly {
        year: i32,
    },
    Recipients {
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    },
    Demand {
        year: i32,
    },
    Quarterly {
        year: i32,
        quarter: u32,
    },
    /// The attendance sheet of an event (PDF only).
    AttendanceSheet {
        event_id: i64,
    },
    /// The protocol of a competitive selection (PDF only).
    SelectionProtocol {
        selection_id: i64,
    },
}

impl ReportRequest {
    /// A file name to offer in the save dialog, e.g. `Годовой отчёт 2025.pdf`.
    pub fn file_name(&self, format: ReportFormat) -> String {
        let ext = match format {
            ReportFormat::Pdf => "pdf",
            ReportFormat::Xlsx => "xlsx",
            ReportFormat::Csv => "csv",
        };
        match self {
            ReportRequest::Yearly { year } => format!("Годовой отчёт {year}.{ext}"),
            ReportRequest::Recipients { from, to } => format!(
                "Реестр получателей поддержки {}–{}.{ext}",
                from.format("%d.%m.%Y"),
                to.format("%d.%m.%Y")
            ),
            ReportRequest::Demand { year } => format!("Анализ потребности {year}.{ext}"),
            ReportRequest::Quarterly { year, quarter } => format!("{}.{ext}", quarterly::file_stem(*year, *quarter)),
            ReportRequest::AttendanceSheet { event_id } => {
                format!("Лист регистрации участников, мероприятие № {event_id}.{ext}")
            }
            ReportRequest::SelectionProtocol { selection_id } => {
                format!("Протокол конкурсного отбора № {selection_id}.{ext}")
            }
        }
    }
}

/// The bytes of the requested report in the requested format.
pub fn bytes(
    conn: &Db,
    request: &ReportRequest,
    format: ReportFormat,
    created: chrono::NaiveDateTime,
) -> Result<Vec<u8>> {
    match request {
        ReportRequest::Yearly { year } => yearly_bytes(conn, *year, format, created),
        ReportRequest::Recipients { from, to } => recipients_bytes(conn, *from, *to, format, created),
        ReportRequest::Demand { year } => demand_bytes(conn, *year, format, created),
        ReportRequest::Quarterly { year, quarter } => {
            let r = quarterly::quarterly(conn, *year, *quarter)?;
            match format {
                ReportFormat::Pdf => quarterly::pdf(&r, &centre_name(conn)?, created),
                ReportFormat::Xlsx => quarterly::xlsx(&r),
                ReportFormat::Csv => Err(unsupported("Мониторинг КПЭ", format, "PDF или XLSX")),
            }
        }
        ReportRequest::AttendanceSheet { event_id } => match format {
            ReportFormat::Pdf => crate::event::sheet::pdf(conn, *event_id, created),
            _ => Err(unsupported("Лист регистрации", format, "PDF")),
        },
        ReportRequest::SelectionProtocol { selection_id } => match format {
            ReportFormat::Pdf => crate::selection::protocol::pdf(conn, *selection_id, created),
            _ => Err(unsupported("Протокол отбора", format, "PDF")),
        },
    }
}

/// `1 250,5` style for thousand dollars: three decimals at most, comma, grouped.
pub fn format_usd_thousand(d: rust_decimal::Decimal) -> String {
    let r = d.round_dp(3).normalize();
    let text = r.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(crate::money::NBSP);
        }
        grouped.push(ch);
    }
    let sign = if r.is_sign_negative() && !r.is_zero() {
        "−"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac}")
    }
}
