//! Who runs a command: `--user LOGIN` with the password from `CPE_PASSWORD` or a prompt, or — while the database has no accounts — the setup's head; and `cpe staff …`, the head's management of accounts.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use cpe_core::audit::Ctx;
use cpe_core::db::Db;
use cpe_core::staff::{self, Role, StaffInput};
use cpe_core::{CoreError, ErrorCode};

#[derive(Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Head,
    Specialist,
    Accountant,
    Viewer,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Head => Role::Head,
            RoleArg::Specialist => Role::Specialist,
            RoleArg::Accountant => Role::Accountant,
            RoleArg::Viewer => Role::Viewer,
        }
    }
}

#[derive(Subcommand)]
pub enum StaffAction {
    /// Добавить сотрудника (пароль — из CPE_NEW_PASSWORD или по запросу; --no-password — без входа)
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        position: String,
        /// Логин: латинские буквы, цифры, точка, дефис, подчёркивание
        #[arg(long, default_value = "")]
        login: String,
        #[arg(long, value_enum, default_value = "specialist")]
        role: RoleArg,
        /// Не задавать пароль (сотрудник есть в списке, но войти не может)
        #[arg(long)]
        no_password: bool,
    },
    /// Список сотрудников
    List {
        #[arg(long)]
        json: bool,
    },
    /// Изменить роль сотрудника
    Role {
        login: String,
        #[arg(value_enum)]
        role: RoleArg,
    },
    /// Задать логин сотруднику без учётной записи (по номеру из `staff list`)
    SetLogin { id: i64, login: String },
    /// Сменить пароль: свой (текущий — CPE_PASSWORD) или, руководителю, чужой (новый — CPE_NEW_PASSWORD или по запросу)
    Passwd { login: String },
    /// Отключить учётную запись (история сохраняется)
    Deactivate { login: String },
    /// Снова включить учётную запись
    Activate { login: String },
}

fn os_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "cpe".into())
}

/// A password from `var`, or typed at the terminal (without echo).
fn password(var: &str, prompt: &str) -> Result<String, CoreError> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CoreError::new(
            ErrorCode::Auth,
            format!("Пароль не задан: укажите его в переменной окружения {var} или запустите команду в терминале"),
        ));
    }
    rpassword::prompt_password(prompt).map_err(|e| CoreError::new(ErrorCode::Auth, format!("Пароль не прочитан: {e}")))
}

/// A new password, typed twice when asked at the terminal.
pub(crate) fn new_password() -> Result<String, CoreError> {
    let first = password("CPE_NEW_PASSWORD", "Новый пароль: ")?;
    if std::env::var("CPE_NEW_PASSWORD").is_err() {
        let again = password("CPE_NEW_PASSWORD", "Новый пароль ещё раз: ")?;
        if again != first {
            return Err(CoreError::field(
                "password",
                "Пароли не совпали: введите одинаково два раза",
            ));
        }
    }
    Ok(first)
}

/// The context of this command. `--user` logs in (a wrong password is counted and journalled as in
/// the app). Without it, only a database with no head account yet can be used — as its setup.
pub fn session(conn: &mut Db, user: Option<&str>, actor: Option<&str>) -> Result<Ctx, CoreError> {
    let now = chrono::Local::now().naive_local();
    if conn.engine() == cpe_core::db::Engine::Postgres {
        // On the centre's server the person is the login the server checked (in the URL).
        if let Some(login) = user {
            return Err(CoreError::field(
                "user",
                format!("На сервере логин — тот, с которым подключаетесь: укажите его в адресе (postgresql://{login}@сервер/база), а не в --user"),
            ));
        }
        return match cpe_core::db::server::session(conn, now) {
            Ok(s) => Ok(s.ctx(now)),
            // The administrator preparing a centre that has no head yet.
            Err(_) if staff::setup_needed(conn)? => Ok(Ctx::new(actor.map(str::to_owned).unwrap_or_else(os_user), now)),
            Err(e) => Err(e),
        };
    }
    if let Some(login) = user {
        let p = password("CPE_PASSWORD", &format!("Пароль для {login}: "))?;
        let s = staff::login(conn, login, &p, now)?;
        if s.must_change_password {
            eprintln!("Пароль задан руководителем: смените его — cpe --user {login} staff passwd {login}");
        }
        return Ok(s.ctx(now));
    }
    if staff::setup_needed(conn)? {
        return Ok(Ctx::new(actor.map(str::to_owned).unwrap_or_else(os_user), now));
    }
    Err(CoreError::new(
        ErrorCode::Auth,
        "В базе есть учётные записи сотрудников: укажите --user ЛОГИН (пароль — в переменной CPE_PASSWORD или по запросу)",
    ))
}

fn input_of(s: &staff::Staff) -> StaffInput {
    StaffInput {
        full_name: s.full_name.clone(),
        position: s.position.clone(),
        active: s.active,
        login: s.login.clone().unwrap_or_default(),
        role: s.role,
    }
}

pub fn run(conn: &mut Db, ctx: &Ctx, action: StaffAction) -> Result<ExitCode, CoreError> {
    match action {
        StaffAction::Add {
            name,
            position,
            login,
            role,
            no_password,
        } => {
            let input = StaffInput::new(&name, &position, &login, role.into());
            let p = if no_password || login.is_empty() {
                None
            } else {
                Some(new_password()?)
            };
            let s = staff::add(conn, ctx, &input, p.as_deref())?;
            println!("Добавлен сотрудник № {}: {} ({})", s.id, s.full_name, s.role.label());
        }
        StaffAction::List { json } => {
            let list = staff::list(conn)?;
            if json {
                crate::print_json(&list);
            } else {
                for s in list {
                    let off = if s.active { "" } else { " (отключён)" };
                    let pass = if s.has_password {
                        ""
                    } else {
                        " (пароль не задан)"
                    };
                    let login = s.login.as_deref().unwrap_or("—");
                    println!(
                        "{}\t{login}\t{}\t{}\t{}{off}{pass}",
                        s.id,
                        s.full_name,
                        s.role.label(),
                        s.position
                    );
                }
            }
        }
        StaffAction::Role { login, role } => {
            let s = staff::by_login(conn, &login)?;
            let s = staff::update(
                conn,
                ctx,
                s.id,
                &StaffInput {
                    role: role.into(),
                    ..input_of(&s)
                },
            )?;
            println!("{}: роль — {}", s.full_name, s.role.label());
        }
        StaffAction::SetLogin { id, login } => {
            let s = staff::get(conn, id)?;
            let s = staff::update(conn, ctx, id, &StaffInput { login, ..input_of(&s) })?;
            println!("{}: логин {}", s.full_name, s.login.unwrap_or_default());
        }
        StaffAction::Passwd { login } => {
            let s = staff::by_login(conn, &login)?;
            if ctx.staff_id == Some(s.id) {
                let current = password("CPE_PASSWORD", "Текущий пароль: ")?;
                staff::change_own_password(conn, ctx, &current, &new_password()?)?;
                println!("Пароль изменён");
            } else {
                staff::reset_password(conn, ctx, s.id, &new_password()?)?;
                println!("Пароль задан: {} сменит его при первом входе", s.full_name);
            }
        }
        StaffAction::Deactivate { login } => {
            let s = staff::by_login(conn, &login)?;
            staff::update(
                conn,
                ctx,
                s.id,
                &StaffInput {
                    active: false,
                    ..input_of(&s)
                },
            )?;
            println!("Учётная запись {login} отключена; её записи в журнале и документах сохранены");
        }
        StaffAction::Activate { login } => {
            let s = staff::by_login(conn, &login)?;
            staff::update(
                conn,
                ctx,
                s.id,
                &StaffInput {
                    active: true,
                    ..input_of(&s)
                },
            )?;
            println!("Учётная запись {login} включена");
        }
    }
    Ok(ExitCode::SUCCESS)
}
