//! `cpe report …`: the yearly report to the region (PDF/XLSX), the quarterly monitoring (PDF/XLSX), the registry of support recipients of a period (PDF/XLSX/CSV), the demand analysis for next year (PDF) and its forecast per catalog row, the KPIs and the records behind a figure.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Subcommand;
use cpe_core::audit::Ctx;
use cpe_core::db::Db;
use cpe_core::report::{self, demand, quarterly, trace, yearly, ReportFormat};
use cpe_core::CoreError;

use crate::application::print_json;

#[derive(Subcommand)]
pub enum ReportAction {
    /// Годовой отчёт в регион: показатели, услуги, месяцы, категории, СМСП и контракты
    Yearly {
        #[arg(long)]
        year: i32,
        /// pdf или xlsx; без --out — показатели в терминал
        #[arg(long, default_value = "pdf")]
        format: String,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Показатели и таблица по услугам в JSON (без --out)
        #[arg(long)]
        json: bool,
    },
    /// Мониторинг КПЭ за квартал (стандарт, разд. 4): показатели за квартал и с начала года, услуги
    Quarterly {
        #[arg(long)]
        year: i32,
        /// 1–4
        #[arg(long)]
        quarter: u32,
        /// pdf или xlsx; без --out — показатели в терминал
        #[arg(long, default_value = "pdf")]
        format: String,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Реестр получателей поддержки (п. 2.14) за период
    Recipients {
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        to: NaiveDate,
        /// pdf, xlsx или csv
        #[arg(long, default_value = "pdf")]
        format: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Анализ потребности на планируемый год (п. 7.1): без --out — таблица в терминал
    Demand {
        /// Планируемый год (прошлый год — базовый)
        #[arg(long)]
        year: i32,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Записать прогноз по позиции каталога: cpe report forecast --year 2027 --service 4.2 --services 12 --amount 4800000
    Forecast {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        service: String,
        #[arg(long)]
        services: u32,
        #[arg(long)]
        amount: String,
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// План КПЭ года, утверждённый регионом (стандарт 2.0, § 6): пустое значение — без плана
    Targets {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        supported: Option<u32>,
        #[arg(long)]
        contracts: Option<u32>,
        /// Объём экспорта, тыс. долл. США
        #[arg(long)]
        volume: Option<rust_decimal::Decimal>,
    },
    /// Перенести прогноз анализа потребности в смету планируемого года
    DemandToBudget {
        #[arg(long)]
        year: i32,
    },
    /// Записи, которые учитывает показатель: smes-supported, smes-with-contracts, export-volume,
    /// item-services:4.2, item-smes:4.2, item-cofinancing:4.2, month-acts:3, month-contracts:3
    Trace {
        #[arg(long)]
        year: i32,
        figure: String,
        #[arg(long)]
        json: bool,
    },
}

fn format_of(text: &str) -> Result<ReportFormat, CoreError> {
    ReportFormat::parse(text)
        .ok_or_else(|| CoreError::field("format", format!("Формат «{text}»: укажите pdf, xlsx или csv")))
}

fn figure_of(text: &str) -> Result<trace::Figure, CoreError> {
    use trace::Figure;
    let (name, arg) = text.split_once(':').unwrap_or((text, ""));
    let month = || {
        arg.parse::<u32>()
            .ok()
            .filter(|m| (1..=12).contains(m))
            .ok_or_else(|| CoreError::field("figure", format!("Месяц «{arg}»: укажите число от 1 до 12")))
    };
    let code = arg.to_owned();
    Ok(match name {
        "smes-supported" => Figure::SmesSupported,
        "smes-with-contracts" => Figure::SmesWithContracts,
        "export-volume" => Figure::ExportVolume,
        "item-services" => Figure::ItemServices { code },
        "item-smes" => Figure::ItemSmes { code },
        "item-cofinancing" => Figure::ItemCofinancing { code },
        "month-acts" => Figure::MonthActs { month: month()? },
        "month-contracts" => Figure::MonthContracts { month: month()? },
        _ => {
            return Err(CoreError::field(
                "figure",
                format!("Показатель «{text}» неизвестен: см. cpe report trace --help"),
            ))
        }
    })
}

/// Writes a report's file and records the export in the journal.
fn written(conn: &mut Db, ctx: &Ctx, out: &std::path::Path, bytes: &[u8], what: &str) -> Result<(), CoreError> {
    report::save(out, bytes)?;
    cpe_core::audit::record_output(
        conn,
        ctx,
        "report",
        "",
        cpe_core::audit::AuditAction::Export,
        &serde_json::json!({"title": what, "file": out.display().to_string()}),
    )?;
    println!("{what}: {}", out.display());
    Ok(())
}

pub fn run(conn: &mut Db, ctx: &Ctx, action: ReportAction) -> Result<ExitCode, CoreError> {
    match action {
        ReportAction::Yearly {
            year,
            format,
            out,
            json,
        } => match out {
            Some(out) => {
                let bytes = report::yearly_bytes(conn, year, format_of(&format)?, ctx.now)?;
                written(conn, ctx, &out, &bytes, &format!("Годовой отчёт за {year}"))?;
            }
            None => {
                let r = yearly::yearly(conn, year)?;
                if json {
                    print_json(&r);
                } else {
                    println!("Субъектов МСП получили поддержку: {}", r.kpis.smes_supported);
                    println!(
                        "Субъектов МСП заключили экспортные контракты по итогам поддержки: {}",
                        r.kpis.smes_with_contracts
                    );
                    println!(
                        "Объём поддержанного экспорта, тыс. долл. США: {}",
                        report::format_usd_thousand(r.kpis.export_volume_usd_thousand)
                    );
                }
            }
        },
        ReportAction::Quarterly {
            year,
            quarter,
            format,
            out,
            json,
        } => {
            let request = report::ReportRequest::Quarterly { year, quarter };
            match out {
                Some(out) => {
                    let format = format_of(&format)?;
                    let bytes = report::bytes(conn, &request, format, ctx.now)?;
                    written(conn, ctx, &out, &bytes, &request.file_name(format))?;
                }
                None => {
                    let r = quarterly::quarterly(conn, year, quarter)?;
                    if json {
                        print_json(&r);
                    } else {
                        println!(
                            "{}: {} – {}, срок представления {}",
                            quarterly::title(year, quarter),
                            r.from.format("%d.%m.%Y"),
                            r.to.format("%d.%m.%Y"),
                            r.due_on.format("%d.%m.%Y")
                        );
                        println!(
                            "Субъектов МСП получили поддержку: за квартал {}, с начала года {}",
                            r.quarter_kpis.smes_supported, r.kpis.smes_supported
                        );
                        println!(
                            "Заключили экспортные контракты: за квартал {}, с начала года {}",
                            r.quarter_kpis.smes_with_contracts, r.kpis.smes_with_contracts
                        );
                        println!(
                            "Объём поддержанного экспорта, тыс. долл. США: за квартал {}, с начала года {}",
                            report::format_usd_thousand(r.quarter_kpis.export_volume_usd_thousand),
                            report::format_usd_thousand(r.kpis.export_volume_usd_thousand)
                        );
                    }
                }
            }
        }
        ReportAction::Recipients { from, to, format, out } => {
            let bytes = report::recipients_bytes(conn, from, to, format_of(&format)?, ctx.now)?;
            written(conn, ctx, &out, &bytes, "Реестр получателей поддержки")?;
        }
        ReportAction::Demand { year, out, json } => match out {
            Some(out) => {
                let bytes = report::demand_bytes(conn, year, ReportFormat::Pdf, ctx.now)?;
                written(conn, ctx, &out, &bytes, &format!("Анализ потребности на {year}"))?;
            }
            None => {
                let a = demand::analysis(conn, year)?;
                if json {
                    print_json(&a);
                } else {
                    for r in a
                        .rows
                        .iter()
                        .filter(|r| r.applications + r.services > 0 || r.forecast_services.is_some())
                    {
                        println!(
                            "{}\tзаявок {}\tуслуг {}\tпрогноз {}\t{}",
                            r.item_code,
                            r.applications,
                            r.services,
                            r.forecast_services.map_or("—".into(), |n| n.to_string()),
                            r.forecast_amount.map_or("—".into(), cpe_core::money::format_rub)
                        );
                    }
                    println!(
                        "Потребность на {year}: {}",
                        cpe_core::money::format_rub(a.total_forecast_amount)
                    );
                }
            }
        },
        ReportAction::Forecast {
            year,
            service,
            services,
            amount,
            comment,
        } => {
            let a = demand::save_forecast(
                conn,
                ctx,
                &demand::ForecastInput {
                    year,
                    item_code: service,
                    services,
                    amount,
                    comment,
                },
            )?;
            println!(
                "Потребность на {year}: {}",
                cpe_core::money::format_rub(a.total_forecast_amount)
            );
        }
        ReportAction::Targets {
            year,
            supported,
            contracts,
            volume,
        } => {
            let t = cpe_core::report::targets::KpiTargets {
                year,
                smes_supported: supported,
                smes_with_contracts: contracts,
                export_volume_usd_thousand: volume,
            };
            let saved = cpe_core::report::targets::save(conn, ctx, &t)?;
            println!(
                "План КПЭ на {year}: {}",
                serde_json::to_string(&saved).expect("serialisable")
            );
        }
        ReportAction::DemandToBudget { year } => {
            let b = demand::to_budget(conn, ctx, year)?;
            println!("Смета {} года заполнена из прогноза: строк {}", b.year, b.lines.len());
        }
        ReportAction::Trace { year, figure, json } => {
            let list = trace::trace(conn, year, &figure_of(&figure)?)?;
            if json {
                print_json(&list);
            } else {
                println!("{}", list.title);
                for r in &list.records {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        r.sme_name,
                        r.inn,
                        r.number,
                        r.date.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default(),
                        r.amount,
                        r.note
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
