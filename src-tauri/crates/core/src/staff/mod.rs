//! Staff of the centre (сотрудники ЦПЭ) and their accounts: login, role, password; the head adds, changes, resets and deactivates them. A deactivated account keeps its name in the journal and documents.

pub mod login;
pub(crate) mod password;
pub mod rights;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, AuditAction, Ctx};
use crate::db::Db;
use crate::error::{CoreError, ErrorCode, Result};
use crate::params;

pub use login::{login, logins, setup, setup_needed, LoginChoice, Session, SetupInput};
pub use rights::{Right, Role};

/// A staff member of the centre and their account. What the journal records of it: never the
/// password or its hash, only that and when it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Staff {
    pub id: i64,
    pub full_name: String,
    pub position: String,
    pub active: bool,
    /// None for a staff member recorded before accounts existed, until the head gives one.
    pub login: Option<String>,
    pub role: Role,
    pub has_password: bool,
    /// The password was given by the head: the person chooses their own at the next login.
    pub must_change_password: bool,
    pub password_changed_at: Option<String>,
}

/// What the head's form sends to add or change a staff member.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StaffInput {
    pub full_name: String,
    pub position: String,
    pub active: bool,
    /// Empty: no account yet (the staff member can be named on documents but cannot log in).
    pub login: String,
    pub role: Role,
}

impl StaffInput {
    pub fn new(full_name: &str, position: &str, login: &str, role: Role) -> StaffInput {
        StaffInput {
            full_name: full_name.into(),
            position: position.into(),
            active: true,
            login: login.into(),
            role,
        }
    }
}

pub(crate) const COLUMNS: &str = "id, full_name, position, active, login, role, password_hash IS NOT NULL, \
     must_change_password, password_changed_at";

pub(crate) fn from_row(r: &crate::db::Row<'_>) -> Result<Staff> {
    let role: String = r.get(5)?;
    Ok(Staff {
        id: r.get(0)?,
        full_name: r.get(1)?,
        position: r.get(2)?,
        active: r.get(3)?,
        login: r.get(4)?,
        role: Role::parse(&role).unwrap_or(Role::Viewer),
        has_password: r.get(6)?,
        must_change_password: r.get(7)?,
        password_changed_at: r.get(8)?,
    })
}

/// Active staff first, then by name.
pub fn list(conn: &Db) -> Result<Vec<Staff>> {
    conn.query_map(
        &format!("SELECT {COLUMNS} FROM staff ORDER BY active DESC, full_name"),
        [],
        from_row,
    )
}

pub fn get(conn: &Db, id: i64) -> Result<Staff> {
    conn.query_opt(&format!("SELECT {COLUMNS} FROM staff WHERE id = ?1"), [id], from_row)?
        .ok_or_else(|| CoreError::not_found(format!("Сотрудник № {id} не найден")))
}

/// The account with this login (letters' case ignored).
pub fn by_login(conn: &Db, login: &str) -> Result<Staff> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM staff WHERE lower(login) = lower(?1)"),
        [login.trim()],
        from_row,
    )?
    .ok_or_else(|| CoreError::not_found(format!("Учётной записи «{}» нет", login.trim())))
}

/// A login is Latin letters, digits, dot, hyphen or underscore, 2–32 characters: typed on any
/// keyboard layout the same way, and safe in a database role name (server mode).
pub fn validate_login(login: &str) -> std::result::Result<(), String> {
    let ok_chars = login
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if !(2..=32).contains(&login.chars().count()) || !ok_chars || !login.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        return Err(format!(
            "«{login}»: логин — от 2 до 32 латинских букв, цифр, точек, дефисов или подчёркиваний, начинается с буквы (например, ivanova или a.petrov)"
        ));
    }
    Ok(())
}

fn validate(conn: &Db, id: Option<i64>, input: &StaffInput) -> Result<()> {
    crate::fields::refuse_bad(input)?;
    if input.full_name.trim().is_empty() {
        return Err(CoreError::field("full_name", "ФИО сотрудника: не заполнено"));
    }
    let login = input.login.trim();
    if !login.is_empty() {
        validate_login(login).map_err(|m| CoreError::field("login", format!("Логин {m}")))?;
    }
    let clash = |sql: &str, value: &str| -> Result<bool> {
        Ok(conn
            .query_opt(sql, params![value, id], |r| r.get::<_, i64>(0))?
            .is_some())
    };
    if clash(
        "SELECT id FROM staff WHERE lower(full_name) = lower(?1) AND id IS DISTINCT FROM ?2",
        input.full_name.trim(),
    )? {
        return Err(CoreError {
            code: ErrorCode::Duplicate,
            message: format!("Сотрудник «{}» уже есть в списке", input.full_name.trim()),
            field: Some("full_name".into()),
        });
    }
    if !login.is_empty()
        && clash(
            "SELECT id FROM staff WHERE lower(login) = lower(?1) AND id IS DISTINCT FROM ?2",
            login,
        )?
    {
        return Err(CoreError {
            code: ErrorCode::Duplicate,
            message: format!("Логин «{login}» уже занят другим сотрудником: выберите другой"),
            field: Some("login".into()),
        });
    }
    Ok(())
}

/// Adds a staff member; with `password`, their account can be used at once (they choose their own
/// password at the first login when the head gave it).
pub fn add(conn: &mut Db, ctx: &Ctx, input: &StaffInput, password: Option<&str>) -> Result<Staff> {
    let tx = conn.write(ctx, Right::Accounts)?;
    validate(&tx, None, input)?;
    let hash = match password {
        Some(p) => Some(password::stored(&tx, input.login.trim(), p)?),
        None => None,
    };
    if hash.is_some() && input.login.trim().is_empty() {
        return Err(CoreError::field(
            "login",
            "Логин: не заполнен — без логина пароль не нужен",
        ));
    }
    let id: i64 = tx.query_row(
        "INSERT INTO staff (full_name, position, active, login, role, password_hash, must_change_password, password_changed_at)
         VALUES (?1, ?2, ?3, NULLIF(?4, ''), ?5, ?6, ?7, ?8) RETURNING id",
        params![
            input.full_name.trim(),
            input.position.trim(),
            input.active,
            input.login.trim(),
            input.role.as_str(),
            hash,
            hash.is_some() && ctx.staff_id.is_some(),
            hash.as_ref().map(|_| ctx.stamp())
        ],
        |r| r.get(0),
    )?;
    let staff = get(&tx, id)?;
    on_server(&tx, None, &staff, password)?;
    audit::record(&tx, ctx, "staff", id, AuditAction::Create, None, Some(&staff))?;
    tx.commit()?;
    Ok(staff)
}

/// Refuses a change that would leave the centre without an active head who can log in: nobody
/// could then manage accounts, the catalog or the budget.
fn keep_a_head(conn: &Db, id: i64, after: &StaffInput) -> Result<()> {
    if after.active && after.role == Role::Head {
        return Ok(());
    }
    let others: i64 = conn.query_row(
        "SELECT count(*) FROM staff WHERE role = 'head' AND active = 1 AND password_hash IS NOT NULL AND id <> ?1",
        [id],
        |r| r.get(0),
    )?;
    let was_head = get(conn, id)?.role == Role::Head;
    if was_head && others == 0 {
        return Err(CoreError::new(
            ErrorCode::Rule,
            "Это единственный действующий руководитель с паролем: сначала назначьте руководителем другого сотрудника — иначе управлять учётными записями, каталогом и сметой будет некому",
        ));
    }
    Ok(())
}

/// Changes a staff member's name, position, login, role or activity. Deactivating keeps the name
/// in the journal and in documents; the account can no longer log in.
pub fn update(conn: &mut Db, ctx: &Ctx, id: i64, input: &StaffInput) -> Result<Staff> {
    let tx = conn.write(ctx, Right::Accounts)?;
    let old = get(&tx, id)?;
    validate(&tx, Some(id), input)?;
    keep_a_head(&tx, id, input)?;
    if ctx.staff_id == Some(id) && !input.active {
        return Err(CoreError::new(
            ErrorCode::Rule,
            "Нельзя отключить собственную учётную запись, под которой вы сейчас работаете",
        ));
    }
    if input.login.trim().is_empty() && old.has_password {
        return Err(CoreError::field(
            "login",
            "Логин: у сотрудника есть пароль, логин нельзя стереть (чтобы закрыть вход, отключите учётную запись)",
        ));
    }
    tx.execute(
        "UPDATE staff SET full_name = ?1, position = ?2, active = ?3, login = NULLIF(?4, ''), role = ?5 WHERE id = ?6",
        params![
            input.full_name.trim(),
            input.position.trim(),
            input.active,
            input.login.trim(),
            input.role.as_str(),
            id
        ],
    )?;
    let new = get(&tx, id)?;
    on_server(&tx, old.login.as_deref(), &new, None)?;
    audit::record(&tx, ctx, "staff", id, AuditAction::Update, Some(&old), Some(&new))?;
    tx.commit()?;
    Ok(new)
}

/// On the centre's server, makes the account's login role agree with its row, in the same change
/// (see `db/roles.rs`); nothing in the local file.
fn on_server(tx: &Db, old_login: Option<&str>, staff: &Staff, password: Option<&str>) -> Result<()> {
    match (&staff.login, tx.engine()) {
        (Some(login), crate::db::Engine::Postgres) => {
            crate::db::roles::sync_login(tx, old_login, login, staff.role, staff.active, password)
        }
        _ => Ok(()),
    }
}

/// The head gives a staff member a (new) password: forgotten passwords, new colleagues, accounts
/// of a database from before accounts. The person changes it at the next login.
pub fn reset_password(conn: &mut Db, ctx: &Ctx, id: i64, new_password: &str) -> Result<Staff> {
    let tx = conn.write(ctx, Right::Accounts)?;
    let old = get(&tx, id)?;
    let Some(login) = old.login.clone() else {
        return Err(CoreError::field(
            "login",
            format!("У сотрудника «{}» нет логина: сначала задайте логин", old.full_name),
        ));
    };
    let hash = password::stored(&tx, &login, new_password)?;
    on_server(&tx, Some(&login), &old, Some(new_password))?;
    tx.execute(
        "UPDATE staff SET password_hash = ?1, must_change_password = ?2, password_changed_at = ?3,
         failed_logins = 0, retry_after = NULL WHERE id = ?4",
        params![hash, ctx.staff_id != Some(id), ctx.stamp(), id],
    )?;
    let new = get(&tx, id)?;
    audit::record(&tx, ctx, "staff", id, AuditAction::Update, Some(&old), Some(&new))?;
    tx.commit()?;
    Ok(new)
}

/// «Сменить пароль»: the logged-in person replaces their own password, giving the current one.
pub fn change_own_password(conn: &mut Db, ctx: &Ctx, current: &str, new_password: &str) -> Result<Staff> {
    let tx = conn.write(ctx, Right::OwnPassword)?;
    let Some(id) = ctx.staff_id else {
        return Err(CoreError::new(
            ErrorCode::Auth,
            "Сменить пароль можно только войдя в программу под своей учётной записью",
        ));
    };
    let old = get(&tx, id)?;
    let stored: Option<String> = tx.query_row("SELECT password_hash FROM staff WHERE id = ?1", [id], |r| r.get(0))?;
    let current_ok = match tx.engine() {
        crate::db::Engine::Sqlite => stored.is_some_and(|h| password::verify(&h, current)),
        crate::db::Engine::Postgres => crate::db::server::password_is(&tx, current)?,
    };
    if !current_ok {
        return Err(CoreError::field("current", "Текущий пароль: неверный"));
    }
    if current == new_password {
        return Err(CoreError::field(
            "password",
            "Новый пароль: совпадает с текущим — придумайте другой",
        ));
    }
    let hash = password::stored(&tx, old.login.as_deref().unwrap_or_default(), new_password)?;
    if tx.engine() == crate::db::Engine::Postgres {
        // Only the administrator and the head change accounts there: the login's own row is marked
        // by the server's function (`db/roles.rs`).
        crate::db::roles::set_password(&tx, old.login.as_deref().unwrap_or_default(), new_password)?;
        tx.execute("SELECT cpe_own_password_changed(?1)", [ctx.stamp()])?;
    } else {
        tx.execute(
            "UPDATE staff SET password_hash = ?1, must_change_password = 0, password_changed_at = ?2 WHERE id = ?3",
            params![hash, ctx.stamp(), id],
        )?;
    }
    let new = get(&tx, id)?;
    audit::record(&tx, ctx, "staff", id, AuditAction::Update, Some(&old), Some(&new))?;
    tx.commit()?;
    Ok(new)
}

/// Minutes without input after which the program locks (Settings; 1 … 240, default 15).
pub fn idle_lock_minutes(conn: &Db) -> Result<u32> {
    conn.query_row("SELECT idle_lock_minutes FROM session_settings WHERE id = 1", [], |r| {
        r.get(0)
    })
}

pub fn set_idle_lock_minutes(conn: &mut Db, ctx: &Ctx, minutes: u32) -> Result<u32> {
    if !(1..=240).contains(&minutes) {
        return Err(CoreError::field(
            "idle_lock_minutes",
            "Блокировка при бездействии: от 1 до 240 минут",
        ));
    }
    let tx = conn.write(ctx, Right::Settings)?;
    let before = idle_lock_minutes(&tx)?;
    if before != minutes {
        tx.execute(
            "UPDATE session_settings SET idle_lock_minutes = ?1 WHERE id = 1",
            [minutes],
        )?;
        let value = |m: u32| serde_json::json!({ "idle_lock_minutes": m });
        audit::record(
            &tx,
            ctx,
            "session_settings",
            1,
            AuditAction::Update,
            Some(&value(before)),
            Some(&value(minutes)),
        )?;
    }
    tx.commit()?;
    Ok(minutes)
}
