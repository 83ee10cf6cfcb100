//! `cpe`: the core from a terminal — set up a database, settings, the SME registry, validation, backup and checks; for scripts, tests and administrators.

mod agreement;
mod agreement_args;
mod application;
mod audit;
mod backup;
mod bench;
mod calendar;
mod catalog;
mod cofinancing;
mod consultation;
mod demo;
mod event;
mod export;
mod pdf;
mod registry;
mod report;
mod selection;
mod server;
mod sme_table;
mod staff;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use cpe_core::audit::Ctx;
use cpe_core::db::Db;
use cpe_core::sme::{self, SmeCategory, SmeInput, SmeKind, SmeQuery};
use cpe_core::{centre, db, ident, CoreError};

#[derive(Parser)]
#[command(
    name = "cpe",
    version,
    about = "Центр поддержки экспорта: работа с базой из командной строки"
)]
struct Cli {
    /// Папка данных (по умолчанию — папка данных пользователя в ОС)
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Сервер базы данных центра (PostgreSQL), например postgresql://логин:пароль@сервер:5432/cpe;
    /// без него — файл базы в папке данных
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "CPE_DATABASE_URL",
        hide_env_values = true
    )]
    database_url: Option<String>,
    /// Войти как сотрудник: логин учётной записи (пароль — из CPE_PASSWORD или по запросу)
    #[arg(long, global = true, value_name = "LOGIN", env = "CPE_USER")]
    user: Option<String>,
    /// Имя для журнала, пока в базе нет учётных записей (по умолчанию — имя пользователя ОС)
    #[arg(long, global = true, value_name = "NAME")]
    actor: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Создать (или обновить) базу данных в папке данных
    Init,
    /// Реквизиты центра
    Settings {
        #[command(subcommand)]
        action: SettingsAction,
    },
    /// Сотрудники центра
    Staff {
        #[command(subcommand)]
        action: staff::StaffAction,
    },
    /// Реестр СМСП
    Sme {
        #[command(subcommand)]
        action: SmeAction,
    },
    /// Проверить идентификатор: выход 0 и «ok» или выход 1 и причина
    Validate { what: IdKind, value: String },
    /// Резервная копия базы (онлайн, можно при работающей программе)
    Backup(backup::BackupArgs),
    /// Сервер базы данных центра (PostgreSQL) для работы нескольких сотрудников
    Server {
        #[command(subcommand)]
        action: server::ServerAction,
    },
    /// Проверка целостности базы
    Check,
    /// Журнал изменений: кто, когда, что изменил
    Audit {
        #[command(subcommand)]
        action: audit::AuditAction,
    },
    /// Каталог услуг
    Catalog {
        #[command(subcommand)]
        action: cofinancing::CatalogAction,
    },
    /// Смета года
    Budget {
        #[command(subcommand)]
        action: cofinancing::BudgetAction,
    },
    /// Проверка софинансирования
    Cofinancing {
        #[command(subcommand)]
        action: cofinancing::CofinancingAction,
    },
    /// Производственный календарь: рабочие дни и сроки
    Calendar {
        #[command(subcommand)]
        action: calendar::CalendarAction,
    },
    /// Консультации (строки 1, 2, 3.1, 3.2 каталога)
    Consultation {
        #[command(subcommand)]
        action: consultation::ConsultationAction,
    },
    /// Семинары и мастер-классы (строки 4.1.1, 4.1.2): участники, присутствие, лист регистрации
    Event {
        #[command(subcommand)]
        action: event::EventAction,
    },
    /// Конкурсный отбор на индивидуальный стенд выставки (п. 5.5.4)
    Selection {
        #[command(subcommand)]
        action: selection::SelectionAction,
    },
    /// Исполнители и их договоры
    Contractor {
        #[command(subcommand)]
        action: application::ContractorAction,
    },
    /// Заявки
    Application {
        #[command(subcommand)]
        action: application::ApplicationAction,
    },
    /// Соглашения
    Agreement {
        #[command(subcommand)]
        action: agreement::AgreementAction,
    },
    /// Акты оказанных услуг
    Act {
        #[command(subcommand)]
        action: agreement::ActAction,
    },
    /// Оплата доли СМСП
    Payment {
        #[command(subcommand)]
        action: agreement::PaymentAction,
    },
    /// Документы в PDF (соглашения, акты, отказы, выписки) и их архив
    Pdf {
        #[command(subcommand)]
        action: pdf::PdfAction,
    },
    /// Заполнить пустую базу демонстрационными данными (или перепроверить базу: --verify-only)
    Demo(demo::DemoArgs),
    /// Замеры скорости по одному сценарию на процесс (для .ci/bench.sh)
    Bench {
        #[command(subcommand)]
        action: bench::BenchAction,
    },
    /// Отчёты: годовой отчёт в регион, реестр получателей поддержки, анализ потребности
    Report {
        #[command(subcommand)]
        action: report::ReportAction,
    },
    /// Курсы валют ЦБ РФ
    Rates {
        #[command(subcommand)]
        action: export::RatesAction,
    },
    /// Экспортные контракты СМСП
    ExportContract {
        #[command(subcommand)]
        action: export::ExportContractAction,
    },
    /// База иностранных покупателей
    Buyer {
        #[command(subcommand)]
        action: export::BuyerAction,
    },
}

#[derive(Subcommand)]
enum SettingsAction {
    /// Показать реквизиты
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Задать один реквизит, например: cpe settings set inn 2721999990
    Set { key: String, value: String },
}

#[derive(Subcommand)]
enum SmeAction {
    /// Добавить СМСП
    Add {
        #[arg(long)]
        kind: KindArg,
        #[arg(long)]
        inn: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        ogrn: String,
        #[arg(long, default_value = "")]
        kpp: String,
        #[arg(long, default_value = "")]
        region: String,
        #[arg(long)]
        category: Option<CategoryArg>,
        #[arg(long)]
        json: bool,
    },
    /// Загрузить список СМСП центра из CSV или XLSX (колонки — по заголовкам); выход 2, если в части строк ошибки
    ImportTable {
        file: PathBuf,
        /// Только проверить, ничего не сохранять
        #[arg(long)]
        dry_run: bool,
        /// Записать список ошибок в CSV
        #[arg(long, value_name = "OUT.csv")]
        errors: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Выгрузить реестр СМСП (или найденное) в .csv или .xlsx
    Export {
        file: PathBuf,
        /// Часть наименования, ИНН, ОГРН или контакта
        #[arg(long, default_value = "")]
        search: String,
    },
    /// Список СМСП
    List {
        /// Часть наименования, ИНН, ОГРН или контакта
        #[arg(long, default_value = "")]
        search: String,
        #[arg(long)]
        json: bool,
    },
    /// Персональные данные (152-ФЗ): согласие, запрос на прекращение обработки, удаление
    Pd {
        id: i64,
        /// Записать запрос субъекта на прекращение обработки, полученный в этот день (ГГГГ-ММ-ДД)
        #[arg(long, value_name = "DATE", value_parser = audit::parse_date)]
        withdraw: Option<chrono::NaiveDate>,
        /// Удалить персональные данные (после трёх лет хранения по п. 7.3 Регламента)
        #[arg(long)]
        erase: bool,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Registry(registry::RegistryAction),
}

#[derive(Clone, Copy, ValueEnum)]
enum IdKind {
    Inn,
    Ogrn,
    Ogrnip,
    Kpp,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Ul,
    Ip,
    Kfh,
    Npd,
}

#[derive(Clone, Copy, ValueEnum)]
enum CategoryArg {
    Micro,
    Small,
    Medium,
}

fn main() -> ExitCode {
    // A closed stdout (`cpe report yearly --json | head -1`) ends the command quietly, as it does
    // every Unix tool: Rust ignores SIGPIPE, which turns each later print into a panic with a
    // backtrace. Taking the default action back ends the process at the first write instead —
    // for every command at once, not one print at a time. Nothing is half-written by it: the
    // database writes are transactions, and output is printed after them.
    #[cfg(unix)]
    // SAFETY: called first thing, before any thread exists; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Ошибка: {}", e.message);
            ExitCode::from(1)
        }
    }
}

fn data_dir(cli_dir: &Option<PathBuf>) -> Result<PathBuf, CoreError> {
    match cli_dir {
        Some(d) => Ok(d.clone()),
        None => db::default_data_dir(),
    }
}

/// Opens the database: the centre's server when a URL is given, else the file in the data folder —
/// never the one in place of the other. The first command of a day that opens the file also
/// makes the day's copy (`backup::daily_if_due`), as the app does at its first start.
fn open(cli_dir: &Option<PathBuf>, url: &Option<String>) -> Result<Db, CoreError> {
    if let Some(url) = url {
        return db::server::connect(url);
    }
    let dir = data_dir(cli_dir)?;
    let db = db::open_in(&dir)?;
    cpe_core::backup::daily_if_due(&db, &dir, chrono::Local::now().naive_local())?;
    Ok(db)
}

pub(crate) fn print_json(value: &impl serde::Serialize) {
    println!("{}", serde_json::to_string_pretty(value).expect("serialisable"));
}

fn run(cli: Cli) -> Result<ExitCode, CoreError> {
    match cli.command {
        Command::Init if cli.database_url.is_some() => {
            return Err(CoreError::field(
                "database_url",
                "cpe init создаёт локальную базу; базу на сервере готовит «cpe server init»",
            ));
        }
        Command::Init => {
            let dir = cli.data_dir.clone().map(Ok).unwrap_or_else(db::default_data_dir)?;
            db::open_in(&dir)?;
            println!("База готова: {}", dir.join(db::DB_FILE).display());
            return Ok(ExitCode::SUCCESS);
        }
        Command::Validate { what, value } => {
            let outcome = match what {
                IdKind::Inn => ident::validate_inn(&value).map(|_| ()),
                IdKind::Ogrn => ident::validate_ogrn(&value),
                IdKind::Ogrnip => ident::validate_ogrnip(&value),
                IdKind::Kpp => ident::validate_kpp(&value),
            };
            return Ok(match outcome {
                Ok(()) => {
                    println!("ok");
                    ExitCode::SUCCESS
                }
                Err(reason) => {
                    println!("{reason}");
                    ExitCode::from(1)
                }
            });
        }
        Command::Backup(args) if cli.database_url.is_some() => {
            // Never the local file in place of the server: a copy of the server's data, or the
            // administrator's tools.
            let mut conn = open(&cli.data_dir, &cli.database_url)?;
            let ctx = staff::session(&mut conn, cli.user.as_deref(), cli.actor.as_deref())?;
            return backup::run_on_server(args, &mut conn, &ctx);
        }
        Command::Backup(args) => {
            // A database that does not open can still be restored from a copy (nobody can log in
            // to it); one that opens is restored by its head.
            let dir = data_dir(&cli.data_dir)?;
            let ctx = match db::open_in(&dir) {
                Ok(mut conn) => staff::session(&mut conn, cli.user.as_deref(), cli.actor.as_deref())?,
                Err(_) => Ctx::new(
                    cli.actor.clone().unwrap_or_else(|| "cpe".into()),
                    chrono::Local::now().naive_local(),
                ),
            };
            return backup::run(args, &dir, &ctx);
        }
        Command::Server { action } => return server::run(action, &cli.database_url, &cli.data_dir),
        _ => {}
    }
    let mut conn = open(&cli.data_dir, &cli.database_url)?;
    let ctx = staff::session(&mut conn, cli.user.as_deref(), cli.actor.as_deref())?;
    match cli.command {
        Command::Init | Command::Validate { .. } | Command::Backup(_) | Command::Server { .. } => {
            unreachable!("handled above")
        }
        Command::Staff { action } => return staff::run(&mut conn, &ctx, action),
        Command::Settings {
            action: SettingsAction::Show { json },
        } => {
            let s = centre::get(&conn)?;
            if json {
                print_json(&s);
            } else {
                let v = serde_json::to_value(&s).expect("serialisable");
                for (key, label) in centre::FIELDS {
                    println!("{label} ({key}): {}", v[key].as_str().unwrap_or(""));
                }
            }
        }
        Command::Settings {
            action: SettingsAction::Set { key, value },
        } => {
            centre::set_field(&mut conn, &ctx, &key, &value)?;
            println!("ok");
        }
        Command::Sme {
            action:
                SmeAction::Add {
                    kind,
                    inn,
                    name,
                    ogrn,
                    kpp,
                    region,
                    category,
                    json,
                },
        } => {
            let kind = match kind {
                KindArg::Ul => SmeKind::LegalEntity,
                KindArg::Ip => SmeKind::SoleProprietor,
                KindArg::Kfh => SmeKind::FarmHead,
                KindArg::Npd => SmeKind::SelfEmployed,
            };
            let mut input = SmeInput::new(kind, &name, &inn);
            input.ogrn = ogrn;
            input.kpp = kpp;
            input.region_code = region;
            input.category = category.map(|c| match c {
                CategoryArg::Micro => SmeCategory::Micro,
                CategoryArg::Small => SmeCategory::Small,
                CategoryArg::Medium => SmeCategory::Medium,
            });
            let s = sme::add(&mut conn, &ctx, &input)?;
            if json {
                print_json(&s);
            } else {
                println!("Добавлен СМСП № {}: {} (ИНН {})", s.id, s.input.full_name, s.input.inn);
            }
        }
        Command::Sme {
            action:
                SmeAction::ImportTable {
                    file,
                    dry_run,
                    errors,
                    json,
                },
        } => {
            return sme_table::import(&mut conn, &ctx, &file, dry_run, errors.as_deref(), json);
        }
        Command::Sme {
            action: SmeAction::Export { file, search },
        } => {
            return sme_table::export(&mut conn, &ctx, &file, search);
        }
        Command::Sme {
            action: SmeAction::List { search, json },
        } => {
            let mut query = SmeQuery {
                text: search,
                limit: 10_000,
                ..Default::default()
            };
            let mut rows = Vec::new();
            loop {
                let page = sme::list(&conn, &query)?;
                let n = page.rows.len() as u32;
                rows.extend(page.rows);
                if n == 0 || (page.total_exact && rows.len() as u32 >= page.total) {
                    break;
                }
                query.offset += n;
            }
            if json {
                print_json(&rows);
            } else {
                for r in rows {
                    println!("{}\t{}\t{}\t{}", r.id, r.inn, r.kind.label(), r.full_name);
                }
            }
        }
        Command::Sme {
            action:
                SmeAction::Pd {
                    id,
                    withdraw,
                    erase,
                    json,
                },
        } => {
            use cpe_core::sme::personal_data;
            let mut status = personal_data::status(&conn, id, ctx.now.date())?;
            if let Some(on) = withdraw {
                status = personal_data::withdraw(&mut conn, &ctx, id, on)?;
            }
            if erase {
                status = personal_data::erase(&mut conn, &ctx, id)?;
            }
            if json {
                print_json(&status);
            } else {
                println!("{}", status.explanation);
            }
        }
        Command::Sme {
            action: SmeAction::Registry(action),
        } => return registry::run(action, &mut conn, &ctx, &data_dir(&cli.data_dir)?),
        Command::Audit { action } => return audit::run(&mut conn, &ctx, action),
        Command::Catalog { action } => return cofinancing::catalog(&conn, action),
        Command::Budget { action } => return cofinancing::budget(&mut conn, &ctx, action),
        Command::Cofinancing { action } => return cofinancing::cofinancing(&mut conn, &ctx, action),
        Command::Calendar { action } => return calendar::run(action, &mut conn, &ctx),
        Command::Rates { action } => return export::rates_cmd(&mut conn, &ctx, action),
        Command::ExportContract { action } => return export::contract_cmd(&mut conn, &ctx, action),
        Command::Buyer { action } => return export::buyer_cmd(&mut conn, &ctx, action),
        Command::Contractor { action } => return application::contractor(&mut conn, &ctx, action),
        Command::Consultation { action } => return consultation::run(&mut conn, &ctx, action),
        Command::Event { action } => return event::run(&mut conn, &ctx, action),
        Command::Selection { action } => return selection::run(&mut conn, &ctx, action),
        Command::Application { action } => return application::application(&mut conn, &ctx, action),
        Command::Agreement { action } => return agreement::agreement(&mut conn, &ctx, action),
        Command::Act { action } => return agreement::act(&mut conn, &ctx, action),
        Command::Payment { action } => return agreement::payment(&mut conn, &ctx, action),
        Command::Pdf { action } => return pdf::pdf(&mut conn, &ctx, action),
        Command::Demo(args) => return demo::run(&mut conn, args),
        Command::Bench { action } => return bench::run(&mut conn, &ctx, action),
        Command::Report { action } => return report::run(&mut conn, &ctx, action),
        Command::Check => {
            let problems = db::check(&conn)?;
            if problems.is_empty() {
                println!("ok");
            } else {
                for p in &problems {
                    println!("{p}");
                }
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
