//! `cpe server …`: the office mode's administration — preparing the centre's database on the PostgreSQL server, moving a local database onto it and writing its data back into a local file.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use cpe_core::audit::Ctx;
use cpe_core::staff::{self, Role, StaffInput};
use cpe_core::{db, CoreError};

#[derive(Subcommand)]
pub enum ServerAction {
    /// Подготовить пустую базу на сервере (или обновить её схему): таблицы, справочник услуг,
    /// группы ролей cpe_head, cpe_specialist, cpe_accountant, cpe_viewer с правами по таблице прав.
    /// Выполняет администратор с правом создавать таблицы и роли: cpe server init --database-url URL
    /// --head-login ivanova --head-name "Иванова Анна Сергеевна" (пароль руководителя — из
    /// CPE_NEW_PASSWORD или по запросу)
    Init {
        /// Логин первого руководителя (создаётся роль входа на сервере)
        #[arg(long, requires = "head_name")]
        head_login: Option<String>,
        /// ФИО первого руководителя
        #[arg(long)]
        head_name: Option<String>,
    },
    /// Добавить сотрудника: роль входа на сервере в группе его роли и запись в списке сотрудников
    /// (пароль — из CPE_NEW_PASSWORD или по запросу)
    AddUser {
        login: String,
        #[arg(long, value_enum)]
        role: crate::staff::RoleArg,
        /// ФИО
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        position: String,
    },
    /// Задать пароль сотрудника на сервере (роль входа создаётся в группе его роли, если её нет):
    /// после переноса локальной базы — руководителю, остальным пароли задаёт он в программе.
    /// Пароль — из CPE_NEW_PASSWORD или по запросу; при входе сотрудник сменит его
    Passwd { login: String },
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
        ServerAction::Init { head_login, head_name } => {
            let (mut db, before) = db::server::init(server_url(url)?)?;
            match before {
                None => println!("База на сервере подготовлена: схема версии {}", db::schema_version()),
                Some(v) if v == db::schema_version() => println!("База на сервере уже подготовлена (схема версии {v})"),
                Some(v) => println!(
                    "Схема базы на сервере обновлена с версии {v} до {}",
                    db::schema_version()
                ),
            }
            if let (Some(login), Some(name)) = (head_login, head_name) {
                add_user(&mut db, &login, Role::Head, &name, "Руководитель")?;
            }
        }
        ServerAction::AddUser {
            login,
            role,
            name,
            position,
        } => {
            let mut db = db::server::connect(server_url(url)?)?;
            add_user(&mut db, &login, role.into(), &name, &position)?;
        }
        ServerAction::Passwd { login } => {
            let mut db = db::server::connect(server_url(url)?)?;
            let person = staff::by_login(&db, &login)?;
            let password = crate::staff::new_password()?;
            let ctx = admin_ctx(&db)?;
            staff::reset_password(&mut db, &ctx, person.id, &password)?;
            println!(
                "Пароль на сервере задан: {} (логин {}, роль — {}); при первом входе сотрудник сменит его",
                person.full_name,
                login.to_lowercase(),
                person.role.label()
            );
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
            let accounts: Vec<String> = staff::list(&server)?
                .into_iter()
                .filter(|s| s.active && s.role == Role::Head)
                .filter_map(|s| s.login)
                .collect();
            if !accounts.is_empty() {
                println!(
                    "Пароли на сервере свои: задайте пароль руководителю — cpe server passwd {} — \
                     остальным его задаст руководитель в программе (Настройки → Сотрудники).",
                    accounts[0]
                );
            }
        }
        ServerAction::ExportLocal { out } => {
            let mut server = db::server::connect(server_url(url)?)?;
            let copied = db::transfer::to_new_file(&mut server, &out, &mut |t| eprintln!("Копируется {t}…"))?;
            print_copied(&copied);
            println!("Данные сервера записаны в {}", out.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// An account added by the server's administrator: its login role on the server, in its role's
/// group, with the password given, and its staff row; journalled as the administrator's change.
fn add_user(db: &mut db::Db, login: &str, role: Role, name: &str, position: &str) -> Result<(), CoreError> {
    let password = crate::staff::new_password()?;
    let ctx = admin_ctx(db)?;
    let input = StaffInput::new(name, position, login, role);
    let s = staff::add(db, &ctx, &input, Some(&password))?;
    println!(
        "Сотрудник «{}» добавлен: логин {} на сервере, роль — {}",
        s.full_name,
        s.login.unwrap_or_default().to_lowercase(),
        role.label()
    );
    Ok(())
}

/// The server's administrator (the URL's login) as the author of an account change.
fn admin_ctx(db: &db::Db) -> Result<Ctx, CoreError> {
    let admin: String = db.query_row("SELECT session_user::text", [], |r| r.get(0))?;
    Ok(Ctx::new(
        format!("Администратор сервера ({admin})"),
        chrono::Local::now().naive_local(),
    ))
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
