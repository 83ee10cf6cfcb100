//! `cpe server …`: the office mode's administration — preparing the centre's database on the PostgreSQL server, moving a local database onto it and writing its data back into a local file.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use cpe_core::{db, CoreError};

#[derive(Subcommand)]
pub enum ServerAction {
    /// Подготовить пустую базу на сервере (или обновить её схему): таблицы, справочник услуг.
    /// Выполняет администратор с правом создавать таблицы: cpe server init --database-url URL
    Init,
    /// Перенести локальную базу (из папки данных) в пустую базу на сервере: все таблицы,
    /// документы и сканы, журнал изменений; печатает число строк по таблицам
    ImportLocal,
    /// Записать данные сервера в новый файл локальной базы (копия, которую можно открыть на ноутбуке)
    ExportLocal {
        /// Новый файл базы, например cpe-копия.sqlite3
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(action: ServerAction, url: &Option<String>, data_dir: &Option<PathBuf>) -> Result<ExitCode, CoreError> {
    match action {
        ServerAction::Init => {
            let (_, before) = db::server::init(server_url(url)?)?;
            match before {
                None => println!("База на сервере подготовлена: схема версии {}", db::schema_version()),
                Some(v) if v == db::schema_version() => println!("База на сервере уже подготовлена (схема версии {v})"),
                Some(v) => println!(
                    "Схема базы на сервере обновлена с версии {v} до {}",
                    db::schema_version()
                ),
            }
        }
        ServerAction::ImportLocal => {
            let url = server_url(url)?;
            let dir = crate::data_dir(data_dir)?;
            let local = db::open_in(&dir)?;
            let (mut server, _) = db::server::init(url)?;
            let copied = db::transfer::copy_all(&local, &mut server, &mut |t| eprintln!("Копируется {t}…"))?;
            print_copied(&copied);
            println!(
                "Локальная база {} перенесена на сервер.",
                dir.join(db::DB_FILE).display()
            );
        }
        ServerAction::ExportLocal { out } => {
            let server = db::server::connect(server_url(url)?)?;
            if out.exists() {
                return Err(CoreError::new(
                    cpe_core::ErrorCode::File,
                    format!("Файл {} уже существует: укажите новый", out.display()),
                ));
            }
            let mut file = db::open(&out)?;
            let copied = db::transfer::copy_all(&server, &mut file, &mut |t| eprintln!("Копируется {t}…"))?;
            print_copied(&copied);
            println!("Данные сервера записаны в {}", out.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn server_url(url: &Option<String>) -> Result<&str, CoreError> {
    url.as_deref().ok_or_else(|| {
        CoreError::field(
            "database_url",
            "Укажите сервер: --database-url postgresql://логин@сервер/база (или CPE_DATABASE_URL)",
        )
    })
}

/// Rows per table of a copy between the engines, the empty tables left out.
fn print_copied(copied: &[db::transfer::Copied]) {
    for c in copied.iter().filter(|c| c.rows > 0) {
        println!("{}\t{}", c.table, c.rows);
    }
    println!("Всего строк: {}", copied.iter().map(|c| c.rows).sum::<u64>());
}
