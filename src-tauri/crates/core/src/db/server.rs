//! The centre's PostgreSQL server (office mode): connecting by URL with a Russian message for each way it can fail, the schema laid down once by `cpe server init`, and its version kept in `cpe_schema` as the SQLite file keeps it in `user_version`.

use std::str::FromStr;

use super::{after_migration, schema_version, Db, MIGRATIONS};
use crate::error::{CoreError, ErrorCode, Result};

/// The server's schema up to migration `SERVER_BASELINE`, in PostgreSQL's words; the migrations
/// after it are written once for both engines and applied to both.
const BASELINE: &str = include_str!("../../migrations/server/0031_baseline.sql");
const SERVER_BASELINE: usize = 31;

/// How long to wait for a server that does not answer before saying so.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// How long making a connection may take in all — the network's connect, the TLS handshake, the
/// password — before the server is said not to answer. [`CONNECT_TIMEOUT`] bounds only the first
/// step: a program that accepts the connection and then says nothing (another service on the port
/// typed, a stuck server or a proxy) would otherwise keep «Проверить подключение», the login or a
/// reconnection waiting until that program gives up, a minute or never.
const STARTUP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// How long what was sent may stay unacknowledged by the server's computer before the connection
/// is given up (Linux's `TCP_USER_TIMEOUT`). A pulled cable, a lost Wi-Fi or a switched-off server
/// sends no reset: without this a call waits for the system's own limit — about a quarter of an
/// hour on Linux — holding the connection, and with it every other call of the app. A slow query
/// is not cut short: the server's computer acknowledges the request at once.
const NETWORK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// What the server keeps to for each of the program's sessions (see [`config`]).
const SESSION_LIMITS: &str = "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3 \
    -c idle_in_transaction_session_timeout=60s -c lock_timeout=10s";

/// An idle connection (a locked app, a lunch break) is probed after this long without traffic, and
/// given up after three probes two seconds apart go unanswered: the next call then makes a new
/// connection at once instead of first waiting for [`NETWORK_TIMEOUT`] on a dead one.
const KEEPALIVE_IDLE: std::time::Duration = std::time::Duration::from_secs(10);

fn config(url: &str) -> Result<postgres::Config> {
    let mut config = postgres::Config::from_str(url.trim()).map_err(|e| {
        CoreError::field(
            "database_url",
            format!("Адрес сервера базы данных не разобран ({e}). Пример: postgresql://логин@сервер:5432/cpe"),
        )
    })?;
    config.connect_timeout(CONNECT_TIMEOUT);
    // The URL's own settings win (an IT person may know their network better).
    if config.get_tcp_user_timeout().is_none() {
        config.tcp_user_timeout(NETWORK_TIMEOUT);
    }
    if !url.contains("keepalives") {
        config
            .keepalives(true)
            .keepalives_idle(KEEPALIVE_IDLE)
            .keepalives_interval(std::time::Duration::from_secs(2))
            .keepalives_retries(3);
    }
    // The server's side of a computer gone silent in the middle of a change (a pulled cable, a
    // power cut): its session holds the centre's write lock until the server gives up on it,
    // which the system's keepalive does after two hours — every colleague's saving waiting
    // meanwhile. So the server probes the program's connections after 10 s of silence (three
    // probes 2 s apart) and ends a session left idle in the middle of a change after a minute
    // (the program sends a change's statements one after another); and a change waiting for a
    // colleague's lock gives up after 10 s, as the file's busy timeout, and says so. The URL's
    // own `options` come after these and win.
    let options = format!("{SESSION_LIMITS} {}", config.get_options().unwrap_or_default());
    config.options(options.trim());
    config.application_name("cpe");
    #[cfg(unix)]
    if matches!(config.get_hosts().first(), Some(postgres::config::Host::Unix(_))) {
        // A local socket never leaves the computer: no TLS there, as libpq does.
        config.ssl_mode(postgres::config::SslMode::Disable);
    }
    Ok(config)
}

/// Where the URL points, for messages: «сервер:5432, база cpe, пользователь ivanova».
fn describe(config: &postgres::Config) -> (String, String, String) {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".to_owned(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or("").to_owned();
    let db = config.get_dbname().map(str::to_owned).unwrap_or_else(|| user.clone());
    (format!("{host}:{port}"), db, user)
}

/// The TLS of a connection: the server's certificate encrypts the connection but is not checked
/// against an authority (as libpq's `sslmode=require`/`prefer`): a centre's server usually has a
/// self-signed one. Whether TLS is used at all is the URL's `sslmode` (`disable`, `prefer` — the
/// default —, `require`).
fn tls() -> Result<postgres_native_tls::MakeTlsConnector> {
    let connector = native_tls::TlsConnector::builder()
        .danger_accept_invalid_certs(true)
        .danger_accept_invalid_hostnames(true)
        .build()
        .map_err(|e| {
            CoreError::storage(format!(
                "Шифрование соединения (TLS) недоступно на этом компьютере: {e}"
            ))
        })?;
    Ok(postgres_native_tls::MakeTlsConnector::new(connector))
}

/// What a call says when the server's connection is lost (a restart of the server, the network).
pub fn no_link() -> CoreError {
    CoreError::new(
        ErrorCode::Storage,
        "Нет связи с сервером базы данных центра. Изменения не сохранены; проверьте сеть и повторите.",
    )
}

/// A connection, or the server's refusal of it.
type Made = std::result::Result<postgres::Client, postgres::Error>;

/// The outcome of making a connection by `config` within [`STARTUP_TIMEOUT`]; `None` when the
/// server has not answered by then. The connection is made on a thread of its own, left to finish
/// by itself past the deadline (a connection made too late is then closed unused): the sync
/// client offers no way to cut its start short.
fn open(config: &postgres::Config) -> Result<Option<Made>> {
    let (config, tls) = (config.clone(), tls()?);
    let (done, answer) = std::sync::mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("cpe-connect".into())
        .spawn(move || {
            let _ = done.send(config.connect(tls));
        })
        .map_err(|e| CoreError::storage(format!("Подключение к серверу не начато: {e}")))?;
    Ok(answer.recv_timeout(STARTUP_TIMEOUT).ok())
}

/// A connection to the server, or what is wrong in words an IT person can act on.
fn client(url: &str) -> Result<postgres::Client> {
    use postgres::error::SqlState;
    let config = config(url)?;
    let (server, db, user) = describe(&config);
    let Some(made) = open(&config)? else {
        return Err(CoreError::storage(format!(
            "Сервер базы данных {server} не отвечает: подключение не установлено за {} секунд. Проверьте адрес \
             и порт (обычно 5432; на другом порту может работать другая программа), что сервер запущен и сеть \
             доступна.",
            STARTUP_TIMEOUT.as_secs()
        )));
    };
    made.map_err(|e| {
        let message = match e.code() {
            // Its own code: a password remembered on the PC that no longer works is forgotten.
            Some(c) if *c == SqlState::INVALID_PASSWORD => {
                return CoreError::new(
                    ErrorCode::Auth,
                    format!("Сервер {server} не принял пароль пользователя «{user}». Проверьте логин и пароль."),
                );
            }
            Some(c) if *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => format!(
                "Сервер {server} не допускает пользователя «{user}» к базе «{db}»: {}",
                e.as_db_error().map(|d| d.message()).unwrap_or_default()
            ),
            Some(c) if *c == SqlState::INVALID_CATALOG_NAME => format!(
                "На сервере {server} нет базы данных «{db}». Проверьте её имя или создайте её (createdb {db})."
            ),
            Some(c) if *c == SqlState::TOO_MANY_CONNECTIONS => {
                format!("Сервер {server} перегружен подключениями. Повторите через минуту.")
            }
            Some(_) => format!("Сервер {server} отказал в подключении: {e}"),
            None if e.to_string().contains("TLS") => format!(
                "Зашифрованное соединение (TLS) с сервером {server} не установлено ({e}): включите ssl на сервере \
                 или выберите «Шифрование: если есть на сервере»."
            ),
            None => format!(
                "Сервер базы данных {server} не отвечает: проверьте адрес и порт, что сервер запущен и сеть доступна ({e})."
            ),
        };
        CoreError::storage(message)
    })
}

/// The server's schema version, `None` when the database has no schema of the app yet.
fn version(db: &Db) -> Result<Option<u32>> {
    let exists: bool = db.query_row("SELECT to_regclass('cpe_schema') IS NOT NULL", [], |r| r.get(0))?;
    if !exists {
        return Ok(None);
    }
    let readable: bool = db.query_row("SELECT has_table_privilege('cpe_schema', 'SELECT')", [], |r| r.get(0))?;
    if !readable {
        return Err(not_staff(db)?);
    }
    Ok(Some(db.query_row("SELECT version FROM cpe_schema", [], |r| r.get(0))?))
}

/// The refusal for a login of the server that is none of the centre's staff.
fn not_staff(db: &Db) -> Result<CoreError> {
    let login: String = db.query_row("SELECT session_user::text", [], |r| r.get(0))?;
    Ok(CoreError::new(
        ErrorCode::Auth,
        format!(
            "Логин «{login}» не входит ни в одну группу сотрудников центра на сервере: попросите руководителя \
             или администратора добавить вас (cpe server add-user)"
        ),
    ))
}

/// Opens the centre's database on the server, refusing one that is not prepared or whose schema
/// is of another version of the app (nothing is changed in it then).
pub fn connect(url: &str) -> Result<Db> {
    let config = config(url)?;
    let (server, db_name, _) = describe(&config);
    let db = Db::from_postgres(client(url)?).with_config(config.clone());
    match version(&db)? {
        None => Err(CoreError::storage(format!(
            "База «{db_name}» на сервере {server} не подготовлена для программы: выполните на ней «cpe server init»."
        ))),
        Some(v) if v > schema_version() => Err(CoreError::new(
            ErrorCode::DatabaseTooNew,
            format!(
                "База «{db_name}» на сервере {server} подготовлена более новой версией программы (версия схемы {v}, \
                 эта программа знает до {}). Обновите программу на этом компьютере.",
                schema_version()
            ),
        )),
        Some(v) if v < schema_version() => Err(CoreError::storage(format!(
            "База «{db_name}» на сервере {server} — схемы версии {v}, а эта программа работает с версией {}. \
             Обновите базу командой «cpe server init» новой версии программы.",
            schema_version()
        ))),
        Some(_) => Ok(db),
    }
}

/// True when `password` is the connected login's password on the server (a new connection is
/// tried with it): «Сменить пароль» and unlocking the program check the current one this way.
pub fn password_is(db: &Db, password: &str) -> Result<bool> {
    let Some(config) = db.pg_config() else {
        return Err(CoreError::storage(
            "Подключение к серверу открыто без адреса: пароль не проверить",
        ));
    };
    let mut config = config.clone();
    let user: String = db.query_row("SELECT session_user::text", [], |r| r.get(0))?;
    config.user(&user).password(password);
    match open(&config)? {
        Some(Ok(_)) => Ok(true),
        Some(Err(e)) if e.code() == Some(&postgres::error::SqlState::INVALID_PASSWORD) => Ok(false),
        Some(Err(e)) => Err(CoreError::storage(format!(
            "Пароль не проверен: сервер недоступен ({e})"
        ))),
        None => Err(CoreError::storage("Пароль не проверен: сервер не отвечает")),
    }
}

/// Who the connected login is in the centre — the active staff member of that login, with the
/// role its group on the server gives (the server is the authority on rights there) — or why it
/// is no colleague. Reads only: «Проверить подключение» asks it.
pub fn who(db: &Db) -> Result<(crate::staff::Staff, crate::staff::Role)> {
    let login: String = db.query_row("SELECT session_user::text", [], |r| r.get(0))?;
    let Some(role) = super::roles::session_role(db)? else {
        return Err(not_staff(db)?);
    };
    let Ok(staff) = crate::staff::by_login(db, &login) else {
        return Err(CoreError::new(
            ErrorCode::Auth,
            format!(
                "Логин «{login}» есть на сервере, но не заведён среди сотрудников центра: попросите руководителя добавить его (Настройки → Сотрудники)"
            ),
        ));
    };
    if !staff.active {
        return Err(CoreError::new(
            ErrorCode::Auth,
            "Учётная запись отключена руководителем центра: обратитесь к нему",
        ));
    }
    Ok((staff, role))
}

/// Whether this connection is encrypted (TLS), for «Проверить подключение».
pub fn encrypted(db: &Db) -> Result<bool> {
    db.query_row(
        "SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)",
        [],
        |r| r.get(0),
    )
}

/// The session of the person whose login the connection was opened with (the server has checked
/// the password), recorded in the journal as a login.
pub fn session(db: &mut Db, now: chrono::NaiveDateTime) -> Result<crate::staff::Session> {
    let (staff, role) = who(db)?;
    crate::staff::login::server_login(db, staff, role, now)
}

/// Lays the app's schema down in an empty database of the server (run by the IT person with a
/// login that may create tables), or brings an older one up to date; the catalog of services is
/// seeded. Returns the open database and the schema version it had before (`None`: new).
pub fn init(url: &str) -> Result<(Db, Option<u32>)> {
    let mut db = Db::from_postgres(client(url)?);
    let before = version(&db)?;
    if before.is_none() {
        let tables: i64 = db.query_row(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
            [],
            |r| r.get(0),
        )?;
        if tables > 0 {
            let (server, name, _) = describe(&config(url)?);
            return Err(CoreError::storage(format!(
                "В базе «{name}» на сервере {server} уже есть таблицы ({tables}), но не программы ЦПЭ. \
                 Укажите пустую базу данных."
            )));
        }
    }
    if let Some(v) = before.filter(|v| *v > schema_version()) {
        return Err(CoreError::new(
            ErrorCode::DatabaseTooNew,
            format!("База на сервере — схемы версии {v}, новее этой программы: обновите программу."),
        ));
    }
    let tx = db.exclusive()?;
    let from = match before {
        Some(v) => v as usize,
        None => {
            tx.execute_batch(BASELINE)
                .map_err(|e| CoreError::storage(format!("Схема базы на сервере не создана: {}", e.message)))?;
            tx.execute_batch("CREATE TABLE cpe_schema (version BIGINT NOT NULL); INSERT INTO cpe_schema VALUES (0)")?;
            SERVER_BASELINE
        }
    };
    for (name, sql) in MIGRATIONS.iter().skip(from) {
        tx.execute_batch(sql).map_err(|e| {
            CoreError::storage(format!(
                "Не удалось обновить базу на сервере (шаг {name}): {}. База не изменена.",
                e.message
            ))
        })?;
        after_migration(&tx, name)?;
    }
    tx.execute("UPDATE cpe_schema SET version = ?1", [schema_version()])?;
    crate::catalog::seed_if_empty(&tx)?;
    super::roles::grant(&tx)?;
    tx.commit()?;
    Ok((db, before))
}

#[cfg(test)]
#[path = "server_tests.rs"]
pub(crate) mod tests;
