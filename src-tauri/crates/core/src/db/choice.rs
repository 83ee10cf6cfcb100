//! Which database an installation works on — the local file (the default) or the centre's server — remembered per OS user in a small JSON file of the app's config folder; the password is never written there (it is asked at login).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, ErrorCode, Result};

/// Where the centre's server is and who connects (the password is asked at login).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ServerAddress {
    /// Name or IP address of the server, e.g. `cpe-server` or `10.0.0.5`.
    pub host: String,
    pub port: u16,
    /// The centre's database on it, e.g. `cpe`.
    pub database: String,
    /// The staff member's login on the server (their account's login).
    pub login: String,
    /// Encryption of the connection (an address remembered before it existed: «prefer»).
    #[serde(default)]
    pub tls: TlsMode,
}

/// Whether the connection to the server is encrypted (TLS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TlsMode {
    /// «Обязательно»: no connection without encryption.
    Require,
    /// «Если сервер поддерживает» (the default, as libpq's).
    #[default]
    Prefer,
    /// «Не шифровать» (a server in the same room, or behind an SSH tunnel).
    Off,
}

impl TlsMode {
    fn sslmode(self) -> &'static str {
        match self {
            TlsMode::Require => "require",
            TlsMode::Prefer => "prefer",
            TlsMode::Off => "disable",
        }
    }
}

impl Default for ServerAddress {
    fn default() -> Self {
        ServerAddress {
            host: String::new(),
            port: 5432,
            database: "cpe".into(),
            login: String::new(),
            tls: TlsMode::Prefer,
        }
    }
}

/// The local file or the centre's server.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum DatabaseChoice {
    /// «Локальная база на этом компьютере».
    #[default]
    Local,
    /// «Сервер центра (PostgreSQL)».
    Server(ServerAddress),
}

/// A value of a connection string, quoted as libpq's `key='value'` form wants it.
fn quoted(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

impl ServerAddress {
    /// Refuses an address a connection cannot be tried with, naming the field.
    pub fn validate(&self) -> Result<()> {
        let host = self.host.trim();
        if host.is_empty() {
            return Err(CoreError::field(
                "host",
                "Сервер: укажите имя или адрес сервера (например, 10.0.0.5)",
            ));
        }
        if host.chars().any(|c| c.is_whitespace() || c.is_control()) || host.len() > 253 {
            return Err(CoreError::field(
                "host",
                "Сервер: имя или адрес без пробелов, как его дал администратор",
            ));
        }
        if self.port == 0 {
            return Err(CoreError::field("port", "Порт: число от 1 до 65535 (обычно 5432)"));
        }
        if self.database.trim().is_empty() || self.database.len() > 63 {
            return Err(CoreError::field(
                "database",
                "База данных: укажите её имя на сервере (например, cpe)",
            ));
        }
        crate::staff::validate_login(self.login.trim()).map_err(|m| CoreError::field("login", format!("Логин {m}")))
    }

    /// The connection string for `password` (never stored).
    pub fn url(&self, password: &str) -> String {
        format!(
            "host={} port={} dbname={} user={} password={} sslmode={}",
            quoted(self.host.trim()),
            self.port,
            quoted(self.database.trim()),
            quoted(&self.login.trim().to_lowercase()),
            quoted(password),
            self.tls.sslmode()
        )
    }

    /// «сервер 10.0.0.5:5432, база cpe» for the start screen and the footer.
    pub fn describe(&self) -> String {
        format!(
            "сервер {}:{}, база {}",
            self.host.trim(),
            self.port,
            self.database.trim()
        )
    }
}

/// The file the choice is kept in: `database.json` in the OS user's config folder of the app.
pub fn default_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("ru", "cpe", "cpe-desktop").ok_or_else(|| {
        CoreError::new(
            ErrorCode::File,
            "Не найдена папка настроек пользователя: задайте переменную HOME",
        )
    })?;
    let name = if cfg!(debug_assertions) {
        "database-dev.json"
    } else {
        "database.json"
    };
    Ok(dirs.config_dir().join(name))
}

/// The remembered choice; the local file when nothing was chosen yet. A damaged file is an error
/// (shown at start), not silently the local file — a centre on a server must not drift to a local file.
pub fn load(path: &Path) -> Result<DatabaseChoice> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| {
            CoreError::new(
                ErrorCode::File,
                format!(
                    "Файл настроек подключения {} повреждён ({e}): удалите его и выберите базу заново",
                    path.display()
                ),
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(DatabaseChoice::Local),
        Err(e) => Err(CoreError::new(
            ErrorCode::File,
            format!("Файл настроек подключения {} не прочитан: {e}", path.display()),
        )),
    }
}

/// Remembers the choice (written whole to a temporary file, then renamed over the old one).
pub fn save(path: &Path, choice: &DatabaseChoice) -> Result<()> {
    let write = || -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(choice).expect("serialisable"))?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        CoreError::new(
            ErrorCode::File,
            format!("Настройки подключения не сохранены в {}: {e}", path.display()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choice_is_remembered_without_a_password_and_quoted_in_the_url() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("conf").join("database.json");
        assert_eq!(
            load(&path).unwrap(),
            DatabaseChoice::Local,
            "nothing chosen: the local file"
        );
        let address = ServerAddress {
            host: "10.0.0.5".into(),
            port: 5433,
            database: "cpe".into(),
            login: "Ivanova".into(),
            tls: TlsMode::Require,
        };
        save(&path, &DatabaseChoice::Server(address.clone())).unwrap();
        assert_eq!(load(&path).unwrap(), DatabaseChoice::Server(address.clone()));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("password"), "{text}");
        assert_eq!(
            address.url("it's a \\ secret"),
            "host='10.0.0.5' port=5433 dbname='cpe' user='ivanova' password='it\\'s a \\\\ secret' sslmode=require"
        );
        let parsed: postgres::Config = address.url("it's a \\ secret").parse().unwrap();
        assert_eq!(parsed.get_password(), Some("it's a \\ secret".as_bytes()));
        // Remembered before encryption could be chosen: «prefer».
        std::fs::write(
            &path,
            r#"{"kind":"server","host":"s","port":5432,"database":"cpe","login":"ivanova"}"#,
        )
        .unwrap();
        assert!(matches!(load(&path).unwrap(), DatabaseChoice::Server(a) if a.tls == TlsMode::Prefer));
        std::fs::write(&path, "{").unwrap();
        assert!(load(&path).unwrap_err().message.contains("повреждён"));
        let bad = ServerAddress {
            host: " ".into(),
            ..address
        };
        assert_eq!(bad.validate().unwrap_err().field.as_deref(), Some("host"));
    }
}
