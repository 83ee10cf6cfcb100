//! Logging in: the first setup of a database (the centre's requisites and the head's account), the login with its delay after wrong passwords, and the session a `Ctx` is made from. Every login and failed login is in the journal.

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{from_row, password, rights, Right, Role, Staff, COLUMNS};
use crate::audit::{self, AuditAction, Ctx};
use crate::centre::{self, CentreSettings};
use crate::db::Db;
use crate::error::{CoreError, ErrorCode, Result};
use crate::params;

/// Wrong passwords in a row after which each next try waits.
pub const FREE_TRIES: u32 = 5;

/// Who is logged in: what the app keeps for the session and what every change is made as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Session {
    pub staff_id: i64,
    pub login: String,
    pub full_name: String,
    pub position: String,
    pub role: Role,
    /// What the role may change (the UI greys out the rest).
    pub rights: Vec<Right>,
    /// The password was given by the head: choose one's own before working.
    pub must_change_password: bool,
}

impl Session {
    fn of(staff: &Staff) -> Session {
        Session {
            staff_id: staff.id,
            login: staff.login.clone().unwrap_or_default(),
            full_name: staff.full_name.clone(),
            position: staff.position.clone(),
            role: staff.role,
            rights: Right::ALL
                .into_iter()
                .filter(|r| rights::allows(staff.role, *r))
                .collect(),
            must_change_password: staff.must_change_password,
        }
    }

    /// The context of a change made now by this person.
    pub fn ctx(&self, now: NaiveDateTime) -> Ctx {
        Ctx {
            actor: self.full_name.clone(),
            role: self.role,
            staff_id: Some(self.staff_id),
            now,
        }
    }
}

/// An account on the login screen's list.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LoginChoice {
    pub login: String,
    pub full_name: String,
}

/// Active accounts that can log in, by name.
pub fn logins(conn: &Db) -> Result<Vec<LoginChoice>> {
    conn.query_map(
        "SELECT login, full_name FROM staff WHERE active = 1 AND login IS NOT NULL AND password_hash IS NOT NULL
         ORDER BY full_name",
        [],
        |r| {
            Ok(LoginChoice {
                login: r.get(0)?,
                full_name: r.get(1)?,
            })
        },
    )
}

/// True while no active head can log in: a new database, or one from before accounts.
pub fn setup_needed(conn: &Db) -> Result<bool> {
    let heads: i64 = conn.query_row(
        "SELECT count(*) FROM staff WHERE role = 'head' AND active = 1 AND password_hash IS NOT NULL",
        [],
        |r| r.get(0),
    )?;
    Ok(heads == 0)
}

/// The first start's form: the centre's main requisites and the head's account.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetupInput {
    pub centre_full_name: String,
    pub centre_short_name: String,
    pub region_code: String,
    pub city: String,
    pub head_full_name: String,
    pub head_position: String,
    pub login: String,
    pub password: String,
}

/// Sets up a database that has no head who can log in: fills the centre's requisites and makes the
/// head's account — on the staff row of the same name when one exists (a database from before
/// accounts keeps its history under that name). Logs the head in.
pub fn setup(conn: &mut Db, input: &SetupInput, now: NaiveDateTime) -> Result<Session> {
    let mut centre = centre::get(conn)?;
    centre.full_name = input.centre_full_name.trim().into();
    centre.short_name = input.centre_short_name.trim().into();
    centre.region_code = input.region_code.trim().into();
    centre.city = input.city.trim().into();
    centre.head_name = input.head_full_name.trim().into();
    centre.head_position = input.head_position.trim().into();
    validate_setup(&centre, input)?;
    let login = input.login.trim();
    let hash = password::hash(login, &input.password)?;
    let ctx = Ctx::new(input.head_full_name.trim(), now);
    let tx = conn.write_unchecked()?;
    if !setup_needed(&tx)? {
        return Err(CoreError::new(
            ErrorCode::Forbidden,
            "Центр уже настроен: войдите под учётной записью руководителя",
        ));
    }
    centre::write_row(&tx, &ctx, &centre)?;
    let existing: Option<Staff> = tx.query_opt(
        &format!("SELECT {COLUMNS} FROM staff WHERE lower(full_name) = lower(?1)"),
        [input.head_full_name.trim()],
        from_row,
    )?;
    let taken: Option<i64> = tx.query_opt(
        "SELECT id FROM staff WHERE lower(login) = lower(?1) AND id IS DISTINCT FROM ?2",
        params![login, existing.as_ref().map(|s| s.id)],
        |r| r.get(0),
    )?;
    if taken.is_some() {
        return Err(CoreError::field(
            "login",
            format!("Логин «{login}» уже занят другим сотрудником: выберите другой"),
        ));
    }
    let id: i64 = match &existing {
        Some(s) => {
            tx.execute(
                "UPDATE staff SET login = ?1, role = 'head', active = 1, position = ?2, password_hash = ?3,
                 must_change_password = 0, password_changed_at = ?4, failed_logins = 0, retry_after = NULL WHERE id = ?5",
                params![login, input.head_position.trim(), hash, ctx.stamp(), s.id],
            )?;
            s.id
        }
        None => tx.query_row(
            "INSERT INTO staff (full_name, position, login, role, password_hash, password_changed_at)
             VALUES (?1, ?2, ?3, 'head', ?4, ?5) RETURNING id",
            params![
                input.head_full_name.trim(),
                input.head_position.trim(),
                login,
                hash,
                ctx.stamp()
            ],
            |r| r.get(0),
        )?,
    };
    let head = tx.query_row(&format!("SELECT {COLUMNS} FROM staff WHERE id = ?1"), [id], from_row)?;
    let ctx = Session::of(&head).ctx(now);
    match &existing {
        Some(old) => audit::record(&tx, &ctx, "staff", id, AuditAction::Update, Some(old), Some(&head))?,
        None => audit::record(&tx, &ctx, "staff", id, AuditAction::Create, None, Some(&head))?,
    }
    tx.commit()?;
    Ok(Session::of(&head))
}

fn validate_setup(centre: &CentreSettings, input: &SetupInput) -> Result<()> {
    let required = [
        (
            "centre_full_name",
            "Полное наименование центра",
            &input.centre_full_name,
        ),
        (
            "centre_short_name",
            "Краткое наименование центра",
            &input.centre_short_name,
        ),
        ("region_code", "Код региона", &input.region_code),
        ("head_full_name", "ФИО руководителя", &input.head_full_name),
        ("login", "Логин", &input.login),
    ];
    for (field, label, value) in required {
        if value.trim().is_empty() {
            return Err(CoreError::field(field, format!("{label}: не заполнено")));
        }
    }
    if let Some(mut e) = centre::validate(centre).into_iter().next() {
        e.field = e.field.map(|f| match f.as_str() {
            "full_name" => "centre_full_name".into(),
            "short_name" => "centre_short_name".into(),
            "head_name" => "head_full_name".into(),
            _ => f,
        });
        return Err(e);
    }
    super::validate_login(input.login.trim()).map_err(|m| CoreError::field("login", format!("Логин {m}")))
}

/// How long the next try waits after `failed` wrong passwords in a row: nothing for the first
/// [`FREE_TRIES`], then 30 s doubling up to 15 minutes — a colleague who forgot their password
/// waits a little, a script guessing passwords gets a handful a day.
pub fn delay_after(failed: u32) -> Duration {
    if failed < FREE_TRIES {
        return Duration::zero();
    }
    let doublings = (failed - FREE_TRIES).min(5);
    Duration::seconds((30i64 << doublings).min(15 * 60))
}

fn refused(message: impl Into<String>) -> CoreError {
    CoreError::new(ErrorCode::Auth, message)
}

/// Logs in with `login` and `password` at `now`: a session, or a Russian reason. A wrong password
/// is counted; after [`FREE_TRIES`] in a row each next try waits ([`delay_after`]) — asked too
/// early, the password is not even checked. Each login and failure goes to the journal.
pub fn login(conn: &mut Db, login: &str, password_text: &str, now: NaiveDateTime) -> Result<Session> {
    let stamp = |t: NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S").to_string();
    let found: Option<(Staff, Option<String>, u32, Option<String>)> = conn.query_opt(
        &format!(
            "SELECT {COLUMNS}, password_hash, failed_logins, retry_after FROM staff WHERE lower(login) = lower(?1)"
        ),
        [login.trim()],
        |r| Ok((from_row(r)?, r.get(9)?, r.get(10)?, r.get(11)?)),
    )?;
    let fail = |conn: &mut Db, who: Option<&Staff>, reason: &str| -> Result<()> {
        let tx = conn.write_unchecked()?;
        let ctx = Ctx::new(who.map_or(login.trim(), |s| s.full_name.as_str()), now).with_role(Role::Viewer);
        let details = serde_json::json!({ "login": login.trim(), "reason": reason });
        let id = who.map_or(0, |s| s.id);
        audit::record(&tx, &ctx, "staff", id, AuditAction::LoginFailed, None, Some(&details))?;
        tx.commit()
    };
    let Some((staff, hash, failed, retry_after)) = found else {
        fail(conn, None, "нет такого логина")?;
        return Err(refused("Неверный логин или пароль"));
    };
    if !staff.active {
        fail(conn, Some(&staff), "учётная запись отключена")?;
        return Err(refused(
            "Учётная запись отключена руководителем центра: обратитесь к нему",
        ));
    }
    let Some(hash) = hash else {
        fail(conn, Some(&staff), "пароль не задан")?;
        return Err(refused(
            "Пароль для этой учётной записи ещё не задан: попросите руководителя задать его (Настройки → Сотрудники)",
        ));
    };
    if let Some(wait_until) = retry_after.filter(|t| *t > stamp(now)) {
        let until = NaiveDateTime::parse_from_str(&wait_until, "%Y-%m-%dT%H:%M:%S").unwrap_or(now);
        let seconds = (until - now).num_seconds().max(1);
        return Err(refused(format!(
            "Слишком много неверных паролей подряд: следующая попытка через {seconds} с"
        )));
    }
    let tx = conn.write_unchecked()?;
    if !password::verify(&hash, password_text) {
        let failed = failed + 1;
        let wait = delay_after(failed);
        let retry = (wait > Duration::zero()).then(|| stamp(now + wait));
        tx.execute(
            "UPDATE staff SET failed_logins = ?1, retry_after = ?2 WHERE id = ?3",
            params![failed, retry, staff.id],
        )?;
        tx.commit()?;
        fail(conn, Some(&staff), "неверный пароль")?;
        let left = FREE_TRIES.saturating_sub(failed);
        return Err(refused(match (left, wait.num_seconds()) {
            (_, s) if s > 0 => {
                format!("Неверный пароль. Неудачных попыток подряд: {failed}; следующая попытка через {s} с")
            }
            (left, _) => {
                format!("Неверный пароль (проверьте раскладку и Caps Lock). Осталось попыток без ожидания: {left}")
            }
        }));
    }
    tx.execute(
        "UPDATE staff SET failed_logins = 0, retry_after = NULL WHERE id = ?1",
        [staff.id],
    )?;
    let session = Session::of(&staff);
    journal_login(&tx, &session, now)?;
    tx.commit()?;
    Ok(session)
}

/// The journal's entry of a login, in the change that makes it.
fn journal_login(tx: &Db, session: &Session, now: NaiveDateTime) -> Result<()> {
    let details = serde_json::json!({ "login": session.login });
    audit::record(
        tx,
        &session.ctx(now),
        "staff",
        session.staff_id,
        AuditAction::Login,
        None,
        Some(&details),
    )
}

/// A login on the centre's server, whose password the server itself has checked
/// ([`crate::db::server::session`]): the session of that staff member with the role the server
/// gives, recorded in the journal.
pub(crate) fn server_login(conn: &mut Db, staff: Staff, role: Role, now: NaiveDateTime) -> Result<Session> {
    let session = Session::of(&Staff { role, ..staff });
    let tx = conn.write_unchecked()?;
    journal_login(&tx, &session, now)?;
    tx.commit()?;
    Ok(session)
}
