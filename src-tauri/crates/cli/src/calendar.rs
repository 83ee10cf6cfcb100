//! `cpe calendar …`: the production calendar from a terminal — working-day arithmetic for scripts, importing a year from an xmlcalendar file and editing single days.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use cpe_core::audit::Ctx;
use cpe_core::calendar::{self, DayKind};
use cpe_core::db::Db;
use cpe_core::CoreError;

#[derive(Subcommand)]
pub enum CalendarAction {
    /// Дата через N рабочих дней после события (счёт со следующего дня); печатает ГГГГ-ММ-ДД
    AddWorkingDays {
        #[arg(value_parser = parse_date)]
        date: NaiveDate,
        days: u32,
    },
    /// Рабочий ли день: печатает yes или no
    IsWorkingDay {
        #[arg(value_parser = parse_date)]
        date: NaiveDate,
    },
    /// Число рабочих дней после первой даты по вторую включительно
    WorkingDaysBetween {
        #[arg(value_parser = parse_date)]
        from: NaiveDate,
        #[arg(value_parser = parse_date)]
        to: NaiveDate,
    },
    /// Загрузить календарь года из файла xmlcalendar (заменяет этот год и его ручные правки)
    Import { file: PathBuf },
    /// Задать один день: рабочий, выходной или сокращённый
    SetDay {
        #[arg(value_parser = parse_date)]
        date: NaiveDate,
        kind: DayArg,
        /// Основание (например, закон региона или приказ центра)
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Отменить ручную правку дня
    ResetDay {
        #[arg(value_parser = parse_date)]
        date: NaiveDate,
    },
    /// Годы календаря: источник, число рабочих дней, предварительный ли
    Years {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DayArg {
    /// Рабочий день
    Working,
    /// Выходной или праздничный день
    Holiday,
    /// Сокращённый предпраздничный рабочий день
    Short,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("«{s}»: нужна дата в виде ГГГГ-ММ-ДД, например 2025-12-26"))
}

pub fn run(action: CalendarAction, conn: &mut Db, ctx: &Ctx) -> Result<ExitCode, CoreError> {
    match action {
        CalendarAction::AddWorkingDays { date, days } => {
            let cal = calendar::load(conn)?;
            let end = cal.add_working_days(date, days)?;
            println!("{}", end.format("%Y-%m-%d"));
            warn_if_provisional(&cal, end);
        }
        CalendarAction::IsWorkingDay { date } => {
            let cal = calendar::load(conn)?;
            println!("{}", if cal.is_working_day(date)? { "yes" } else { "no" });
            warn_if_provisional(&cal, date);
        }
        CalendarAction::WorkingDaysBetween { from, to } => {
            let cal = calendar::load(conn)?;
            println!("{}", cal.working_days_between(from, to)?);
            warn_if_provisional(&cal, from);
            warn_if_provisional(&cal, to);
        }
        CalendarAction::Import { file } => {
            let info = calendar::import_file(conn, ctx, &file)?;
            println!(
                "Календарь на {} год загружен: {} рабочих дней ({} сокращённых), {} выходных. Источник: {}",
                info.year, info.working_days, info.shortened_days, info.days_off, info.source
            );
            if info.provisional {
                println!("Внимание: календарь помечен как предварительный.");
            }
        }
        CalendarAction::SetDay { date, kind, note } => {
            let kind = match kind {
                DayArg::Working => DayKind::Working,
                DayArg::Holiday => DayKind::DayOff,
                DayArg::Short => DayKind::Shortened,
            };
            let edit = calendar::set_day(conn, ctx, date, kind, &note)?;
            println!("{}: {}", edit.date.format("%Y-%m-%d"), edit.kind.label());
        }
        CalendarAction::ResetDay { date } => {
            calendar::clear_day(conn, ctx, date)?;
            let kind = calendar::load(conn)?.day_kind(date)?;
            println!("{}: {} (по календарю года)", date.format("%Y-%m-%d"), kind.label());
        }
        CalendarAction::Years { json } => {
            let years = calendar::load(conn)?.years();
            if json {
                println!("{}", serde_json::to_string_pretty(&years).expect("serialisable"));
            } else {
                for y in years {
                    let mark = if y.provisional {
                        " ПРЕДВАРИТЕЛЬНЫЙ"
                    } else {
                        ""
                    };
                    println!("{}\t{} раб. дн.\t{}{mark}", y.year, y.working_days, y.source);
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Scripts read stdout; the warning about a provisional year goes to stderr so it never breaks them.
fn warn_if_provisional(cal: &calendar::Calendar, date: NaiveDate) {
    if let Ok(true) = cal.is_provisional(date) {
        eprintln!("Внимание: календарь на {} год предварительный — сверьте срок после выхода постановления о переносе выходных.", date.format("%Y"));
    }
}
