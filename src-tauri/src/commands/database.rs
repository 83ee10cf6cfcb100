//! Commands of «База данных» (the login screen and Settings): which database this computer works on — the local file or the centre's server — with «Проверить подключение» saying exactly what is wrong.

use tauri::State;

use crate::state::AppState;
use cpe_core::db::choice::{DatabaseChoice, ServerAddress};
use cpe_core::staff::Session;
use cpe_core::{db, Result};

#[tauri::command]
pub fn database_choice(state: State<'_, AppState>) -> DatabaseChoice {
    state.choice()
}

/// Tries the server with this address, login and password, changing nothing: what the server says,
/// or who the login is in the centre.
#[tauri::command]
pub fn database_check(address: ServerAddress, password: String) -> Result<String> {
    address.validate()?;
    let db = db::server::connect(&address.url(&password))?;
    let (staff, role) = db::server::who(&db)?;
    let channel = if db::server::encrypted(&db)? {
        "соединение зашифровано (TLS)"
    } else {
        "соединение без шифрования"
    };
    Ok(format!(
        "Подключение в порядке: {}, {channel}. Вы — {}, роль — {}.",
        address.describe(),
        staff.full_name,
        role.label()
    ))
}

/// Works on the centre's server from now on (remembered for this OS user): logs in with the
/// server's login and password (kept in the OS's password store with `remember`); on any refusal
/// nothing changes.
#[tauri::command]
pub fn database_use_server(
    state: State<'_, AppState>,
    address: ServerAddress,
    password: String,
    remember: Option<bool>,
) -> Result<Session> {
    state.connect_server_remembering(&address, &password, remember.unwrap_or(false))
}

/// Whether «Запомнить пароль» can be offered: the OS's password store answers.
#[tauri::command]
pub fn database_password_store(state: State<'_, AppState>) -> bool {
    state.password_store_available()
}

/// Works on the local file of this computer from now on; logs out.
#[tauri::command]
pub fn database_use_local(state: State<'_, AppState>) -> Result<()> {
    state.use_local()
}
