//! `cpe rates …`, `cpe export-contract …`, `cpe buyer …`: the Central Bank's rates, the export contracts SMEs report and the foreign buyers' database from a terminal.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Subcommand;
use cpe_core::audit::Ctx;
use cpe_core::db::Db;
use cpe_core::export_contract::{self, ExportContractInput, ExportContractQuery};
use cpe_core::foreign_buyer::{self, BuyerQuery, ForeignBuyerInput};
use cpe_core::rates::{self, ManualRateInput, RateFileKind, RateQuery};
use cpe_core::{CoreError, ErrorCode};

#[derive(Subcommand)]
pub enum RatesAction {
    /// Загрузить файлы курсов ЦБ (XML_daily или XML_dynamic); выход 2, если курс на дату уже есть с другим значением
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Заменить расходящиеся курсы значениями из файла
        #[arg(long)]
        replace: bool,
        #[arg(long)]
        json: bool,
    },
    /// Курсы, действующие на дату (по умолчанию — все валюты, по которым есть курсы)
    Show {
        #[arg(long, value_parser = parse_date)]
        date: NaiveDate,
        #[arg(long)]
        currency: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Ввести курс вручную: рубли за номинал
    Set {
        #[arg(long, value_parser = parse_date)]
        date: NaiveDate,
        #[arg(long)]
        currency: String,
        #[arg(long, default_value_t = 1)]
        nominal: i64,
        #[arg(long)]
        value: String,
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Subcommand)]
pub enum ExportContractAction {
    /// Добавить контракт: JSON ExportContractInput на стандартном входе
    Add {
        #[arg(long, required = true)]
        json: bool,
    },
    /// Список контрактов
    List {
        #[arg(long)]
        sme: Option<i64>,
        #[arg(long)]
        year: Option<i32>,
        /// Только результаты поддержки (связанные с соглашением)
        #[arg(long)]
        supported: bool,
        #[arg(long)]
        json: bool,
    },
    /// Аннулировать контракт (внесён ошибочно, расторгнут): он остаётся в базе и больше нигде не учитывается
    Cancel {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// СМСП с открытым трёхлетним сроком, давно не сообщавшие о контрактах
    Reminders {
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// Записать список в PDF
        #[arg(long, value_name = "FILE.pdf")]
        pdf: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum BuyerAction {
    /// Добавить покупателя: JSON ForeignBuyerInput на стандартном входе
    Add {
        #[arg(long, required = true)]
        json: bool,
    },
    /// Список покупателей
    List {
        #[command(flatten)]
        filter: BuyerFilter,
        #[arg(long)]
        json: bool,
    },
    /// Выгрузить покупателей (или найденных) в .csv или .xlsx
    Export {
        file: PathBuf,
        #[command(flatten)]
        filter: BuyerFilter,
    },
}

#[derive(clap::Args)]
pub struct BuyerFilter {
    /// Слова из наименования, города, контактов, товаров
    #[arg(long, default_value = "")]
    search: String,
    /// Код страны по ОКСМ
    #[arg(long, default_value = "")]
    country: String,
    /// Начало кода ТН ВЭД
    #[arg(long, default_value = "")]
    hs: String,
    #[arg(long)]
    sme: Option<i64>,
}

impl BuyerFilter {
    fn query(&self) -> BuyerQuery {
        BuyerQuery {
            text: self.search.clone(),
            country_code: self.country.clone(),
            hs_prefix: self.hs.clone(),
            sme_id: self.sme,
        }
    }
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s.trim(), "%d.%m.%Y"))
        .map_err(|_| format!("«{s}»: нужна дата в виде ГГГГ-ММ-ДД, например 2025-03-14"))
}

fn stdin_json<T: serde::de::DeserializeOwned>(what: &str) -> Result<T, CoreError> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    serde_json::from_str(&text)
        .map_err(|e| CoreError::new(ErrorCode::Validation, format!("{what}: JSON на входе не разобран: {e}")))
}

fn print_json(value: &impl serde::Serialize) {
    println!("{}", serde_json::to_string_pretty(value).expect("serialisable"));
}

fn day(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

pub fn rates_cmd(conn: &mut Db, ctx: &Ctx, action: RatesAction) -> Result<ExitCode, CoreError> {
    match action {
        RatesAction::Import { files, replace, json } => {
            let mut reports = Vec::new();
            for f in &files {
                reports.push(rates::import_file(conn, ctx, f, replace)?);
            }
            let conflicts = reports.iter().any(|r| !r.conflicts.is_empty());
            if json {
                print_json(&reports);
            } else {
                for r in &reports {
                    let range = match (r.kind, r.date_from, r.date_to) {
                        (RateFileKind::Daily, Some(d), _) => format!("на {}", day(d)),
                        (_, Some(a), Some(b)) => format!("с {} по {}", day(a), day(b)),
                        _ => String::new(),
                    };
                    println!(
                        "{} ({range}): загружено {}, без изменений {}, заменено {}, расхождений {}",
                        r.file_name,
                        r.imported,
                        r.unchanged,
                        r.replaced,
                        r.conflicts.len()
                    );
                    for c in &r.conflicts {
                        println!(
                            "  {} {}: в базе {} ({}), в файле {}",
                            day(c.date),
                            c.char_code,
                            c.stored_unit_rate.normalize(),
                            c.stored_source.label(),
                            c.file_unit_rate.normalize()
                        );
                    }
                }
                if conflicts {
                    println!(
                        "Расходящиеся курсы не изменены; чтобы заменить их значениями из файла, повторите с --replace."
                    );
                }
            }
            return Ok(if conflicts {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            });
        }
        RatesAction::Show { date, currency, json } => {
            let codes: Vec<String> = match currency {
                Some(c) => vec![c.trim().to_uppercase()],
                None => {
                    let mut codes: Vec<String> = rates::list(
                        conn,
                        &RateQuery {
                            date_from: Some(date - chrono::Duration::days(20)),
                            date_to: Some(date),
                            char_code: String::new(),
                        },
                    )?
                    .into_iter()
                    .map(|r| r.char_code)
                    .collect();
                    codes.sort();
                    codes.dedup();
                    codes
                }
            };
            let single = codes.len() == 1;
            let mut found = Vec::new();
            for code in codes {
                match rates::rate_on(conn, &code, date) {
                    Ok(r) => found.push(r),
                    Err(e) if single => return Err(e),
                    Err(_) => {}
                }
            }
            if found.is_empty() {
                return Err(rates::missing_rate("по валютам", date));
            }
            if json {
                print_json(&found);
            } else {
                for r in found {
                    let from = if r.record_date == r.on {
                        String::new()
                    } else {
                        format!("\t(установлен на {})", day(r.record_date))
                    };
                    println!("{}\t{}\t{}{from}", day(r.on), r.char_code, r.unit_rate.normalize());
                }
            }
        }
        RatesAction::Set {
            date,
            currency,
            nominal,
            value,
            replace,
        } => {
            let r = rates::set_manual(
                conn,
                ctx,
                &ManualRateInput {
                    date,
                    char_code: currency,
                    nominal,
                    value,
                    replace,
                },
            )?;
            println!(
                "{} {}: {} ₽ за единицу",
                day(r.date),
                r.char_code,
                r.unit_rate.normalize()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn contract_cmd(conn: &mut Db, ctx: &Ctx, action: ExportContractAction) -> Result<ExitCode, CoreError> {
    match action {
        ExportContractAction::Add { .. } => {
            let input: ExportContractInput = stdin_json("Экспортный контракт")?;
            let check = export_contract::check(conn, &input)?;
            for w in &check.warnings {
                eprintln!("Внимание: {w}");
            }
            let c = export_contract::add(conn, ctx, &input)?;
            print_json(&c);
        }
        ExportContractAction::List {
            sme,
            year,
            supported,
            json,
        } => {
            let list = export_contract::list(
                conn,
                &ExportContractQuery {
                    sme_id: sme,
                    year,
                    supported_only: supported,
                    ..Default::default()
                },
            )?;
            if json {
                print_json(&list);
            } else {
                for c in list {
                    println!(
                        "{}\t{}\t{}\t{}\t{} {}\t{} тыс. USD\t{}{}",
                        day(c.contract_date),
                        c.sme_name,
                        c.country_name,
                        c.counterparty_name,
                        c.amount.normalize(),
                        c.currency,
                        c.usd_thousand,
                        c.agreement_number
                            .map(|n| format!("соглашение № {n}"))
                            .unwrap_or_else(|| "без поддержки".into()),
                        match (&c.cancelled, c.late) {
                            (Some(x), _) => format!("\tАННУЛИРОВАН: {}", x.reason),
                            (None, true) => "\tсообщено с опозданием".into(),
                            (None, false) => String::new(),
                        }
                    );
                }
            }
        }
        ExportContractAction::Cancel { id, reason } => {
            let c = export_contract::cancel(conn, ctx, id, &reason)?;
            println!("Контракт № {} «{}» аннулирован: {}", c.id, c.subject, reason.trim());
        }
        ExportContractAction::Reminders { date, pdf, json } => {
            let today = date.unwrap_or(ctx.now.date());
            let settings = export_contract::get_reminder_settings(conn)?;
            let list = export_contract::reminders(conn, today, &settings)?;
            if let Some(path) = pdf {
                let bytes = export_contract::reminders_pdf(conn, today, &settings, ctx.now)?;
                std::fs::write(&path, bytes)?;
                eprintln!("Записан {}", path.display());
            }
            if json {
                print_json(&list);
            } else {
                for r in list {
                    println!(
                        "{}\tИНН {}\t{} дн. без сообщений\tокно до {}",
                        r.sme_name,
                        r.inn,
                        r.silent_days,
                        day(r.window_ends_on)
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn buyer_cmd(conn: &mut Db, ctx: &Ctx, action: BuyerAction) -> Result<ExitCode, CoreError> {
    match action {
        BuyerAction::Add { .. } => {
            let input: ForeignBuyerInput = stdin_json("Иностранный покупатель")?;
            print_json(&foreign_buyer::add(conn, ctx, &input)?);
        }
        BuyerAction::List { filter, json } => {
            let list = foreign_buyer::list(conn, &filter.query())?;
            if json {
                print_json(&list);
            } else {
                for b in list {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        b.id, b.input.name, b.country_name, b.input.city, b.input.hs_codes
                    );
                }
            }
        }
        BuyerAction::Export { file, filter } => {
            let n = foreign_buyer::export(conn, &filter.query(), &file)?;
            cpe_core::audit::record_output(
                conn,
                ctx,
                "buyer_list",
                "",
                cpe_core::audit::AuditAction::Export,
                &serde_json::json!({"title": "База иностранных покупателей", "file": file.display().to_string(), "rows": n}),
            )?;
            println!("Выгружено покупателей: {n} → {}", file.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
