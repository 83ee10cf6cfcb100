//! Commands of the login screen: the first setup, logging in and out, the idle lock and one's own password. The only commands that work without a session.

use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::state::AppState;
use cpe_core::centre::{self, CentreSettings};
use cpe_core::db::choice::ServerAddress;
use cpe_core::staff::{self, LoginChoice, Session, SetupInput};
use cpe_core::{CoreError, ErrorCode, Result};

/// What the start screen needs to decide between the setup, the login and the work.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SessionStatus {
    /// No head can log in yet: the first start of a database (or one from before accounts).
    pub setup_needed: bool,
    pub logins: Vec<LoginChoice>,
    pub session: Option<Session>,
    pub locked: bool,
    pub idle_lock_minutes: u32,
    /// Staff recorded before accounts existed (the setup says their history is kept).
    pub staff_count: u32,
    /// The centre's short name (or full name) for the login screen's header.
    pub centre_name: String,
    /// Started with `--demo`: the made-up staff's password, shown on the login screen.
    pub demo_password: Option<String>,
    /// Working on the centre's server: its address; the login is typed (the server's own).
    pub server: Option<ServerAddress>,
    /// On the server: the OS's password store answers, so «Запомнить пароль» is offered.
    pub password_store: bool,
    /// On the server: a password is remembered on this computer for the address's login (the
    /// start logs in with it; the login screen offers «Войти с сохранённым паролем»).
    pub password_remembered: bool,
}

fn now() -> chrono::NaiveDateTime {
    chrono::Local::now().naive_local()
}

#[tauri::command]
pub fn session_status(state: State<'_, AppState>) -> Result<SessionStatus> {
    let server = state.server();
    if server.is_some() && state.session().is_none() {
        // Nobody connected yet: the server is opened by the login itself.
        return Ok(SessionStatus {
            setup_needed: false,
            logins: Vec::new(),
            session: None,
            locked: false,
            idle_lock_minutes: 15,
            staff_count: 0,
            centre_name: String::new(),
            demo_password: None,
            password_store: state.password_store_available(),
            password_remembered: state.password_remembered(),
            server,
        });
    }
    let (setup_needed, logins, idle_lock_minutes, staff_count, centre) = state.with_open(|c| {
        Ok((
            staff::setup_needed(c)?,
            staff::logins(c)?,
            staff::idle_lock_minutes(c)?,
            staff::list(c)?.len() as u32,
            centre::get(c)?,
        ))
    })?;
    let centre_name = centre.shown_name().to_owned();
    Ok(SessionStatus {
        // The server's centre is set up by its administrator (`cpe server init --head-login`).
        setup_needed: setup_needed && server.is_none(),
        staff_count,
        centre_name,
        logins,
        session: state.session(),
        locked: state.is_locked(),
        idle_lock_minutes,
        demo_password: state.demo.as_ref().map(|_| cpe_core::demo::DEMO_PASSWORD.to_owned()),
        password_store: server.is_some() && state.password_store_available(),
        password_remembered: state.password_remembered(),
        server,
    })
}

/// The requisites already typed in, to prefill the first setup; only while it is needed.
#[tauri::command]
pub fn session_setup_defaults(state: State<'_, AppState>) -> Result<CentreSettings> {
    state.with_open(|c| {
        if !staff::setup_needed(c)? {
            return Err(CoreError::new(
                ErrorCode::Forbidden,
                "Центр уже настроен: войдите в программу",
            ));
        }
        centre::get(c)
    })
}

#[tauri::command]
pub fn session_setup(state: State<'_, AppState>, input: SetupInput) -> Result<Session> {
    let session = state.with_open(|c| staff::setup(c, &input, now()))?;
    state.begin(session.clone());
    Ok(session)
}

/// Logs in, or unlocks: a locked program opens only for the person who locked it (their unsaved
/// forms are still on the screen); someone else logs out first. On the server, `remember` keeps
/// the password in the OS's password store for the next start (or forgets one kept before).
#[tauri::command]
pub fn session_login(
    state: State<'_, AppState>,
    login: String,
    password: String,
    remember: Option<bool>,
) -> Result<Session> {
    if let (Some(current), true) = (state.session(), state.is_locked()) {
        if !current.login.eq_ignore_ascii_case(login.trim()) {
            return Err(CoreError::field(
                "login",
                format!(
                    "Программой сейчас пользуется {}: чтобы войти другому сотруднику, нажмите «Выйти» (несохранённые изменения {} будут потеряны)",
                    current.full_name, current.full_name
                ),
            ));
        }
    }
    if let Some(mut address) = state.server() {
        // On the server the server checks the password: unlocking asks it about the open
        // session's login; a login connects as that login.
        if let (Some(current), true) = (state.session(), state.is_locked()) {
            if !state.server_password_is(&password)? {
                return Err(CoreError::field(
                    "password",
                    "Неверный пароль (проверьте раскладку и Caps Lock)",
                ));
            }
            state.begin(current.clone());
            return Ok(current);
        }
        address.login = login.trim().to_owned();
        return state.connect_server_remembering(&address, &password, remember.unwrap_or(false));
    }
    let session = state.with_open(|c| staff::login(c, &login, &password, now()))?;
    state.begin(session.clone());
    Ok(session)
}

/// Logs in to the centre's server with the password remembered on this computer: at start, and
/// by «Войти с сохранённым паролем» (after the server did not answer).
#[tauri::command]
pub fn session_login_remembered(state: State<'_, AppState>) -> Result<Session> {
    state.connect_remembered()
}

#[tauri::command]
pub fn session_lock(state: State<'_, AppState>) {
    if state.session().is_some() {
        state.lock_session();
    }
}

#[tauri::command]
pub fn session_logout(state: State<'_, AppState>) {
    state.end_session();
}

/// «Сменить пароль»: one's own, giving the current one.
#[tauri::command]
pub fn session_change_password(state: State<'_, AppState>, current: String, password: String) -> Result<Session> {
    let ctx = state.ctx()?;
    let Some(mut session) = state.session() else {
        return Err(CoreError::new(ErrorCode::Auth, "Войдите в программу"));
    };
    state.with(|c| staff::change_own_password(c, &ctx, &current, &password))?;
    state.server_password_changed(&password);
    session.must_change_password = false;
    state.begin(session.clone());
    Ok(session)
}
