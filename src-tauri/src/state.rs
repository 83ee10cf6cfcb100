//! What the shell keeps between IPC calls: which database this installation works on (the local file or the centre's server), the open connection (or why it could not be opened) and who is logged in — every command that reads or changes data needs a session that is not locked.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, TryLockError};
use std::time::{Duration, Instant};

use cpe_core::audit::Ctx;
use cpe_core::db::choice::{self, DatabaseChoice, ServerAddress};
use cpe_core::db::Db;
use cpe_core::staff::Session;
use cpe_core::{db, CoreError, ErrorCode, Result};

use crate::demo::DemoRun;
use crate::saved_password::{OsStore, PasswordStore};

pub struct AppState {
    pub data_dir: PathBuf,
    /// Set when started with `--demo`: the data is being made in a throw-away directory.
    pub demo: Option<Arc<DemoRun>>,
    /// The file the choice of database is remembered in (`None` for the demo: always its own file).
    choice_file: Option<PathBuf>,
    /// The local file or the centre's server.
    choice: Mutex<DatabaseChoice>,
    /// The database, or why it could not be opened (a restore of a copy can replace it); `None`
    /// on the server until someone logs in (the login is the server's).
    conn: Mutex<Option<Result<Db>>>,
    /// On the server: the logged-in person's password, in memory only, to connect again after a
    /// break in the network without asking.
    server_password: Mutex<Option<String>>,
    /// Held while a new connection to the server is being made: one attempt at a time (it may
    /// wait out the connect timeout); the failure of the last one and when it ended, shared with
    /// the calls that waited for it.
    reconnecting: Mutex<Option<(Instant, CoreError)>>,
    /// When a call last found the server's connection lost.
    lost_at: Mutex<Option<Instant>>,
    /// Where «Запомнить пароль» keeps the server's password: the OS's password store.
    passwords: Arc<dyn PasswordStore>,
    /// Whether that store answers (asked once: a D-Bus round trip on Linux).
    passwords_available: std::sync::OnceLock<bool>,
    /// Who is logged in, and whether the program is locked (idle, or by «Заблокировать»).
    session: Mutex<SessionState>,
    /// The registry list's matches, kept while it scrolls (dropped by any write).
    pub sme_search: Mutex<cpe_core::sme::SearchCache>,
    /// Paths the user chose in the native dialogs of this session (`commands::dialog`).
    pub grants: crate::commands::dialog::GrantState,
}

#[derive(Default)]
struct SessionState {
    session: Option<Session>,
    locked: bool,
}

impl AppState {
    /// Opens the database in `data_dir` (or the OS default). A failure is kept and shown by the UI
    /// instead of crashing: e.g. a database from a newer app version is refused untouched.
    /// With `choice_file` (the OS user's remembered choice), the centre's server when one was
    /// chosen: nothing is opened then until someone logs in to it.
    pub fn open(data_dir: Option<PathBuf>, choice_file: Option<PathBuf>) -> AppState {
        let chosen = match choice_file
            .as_deref()
            .map(choice::load)
            .unwrap_or(Ok(DatabaseChoice::Local))
        {
            Ok(c) => c,
            Err(e) => return AppState::new(PathBuf::new(), choice_file, DatabaseChoice::Local, Some(Err(e))),
        };
        let dir = match data_dir.map(Ok).unwrap_or_else(db::default_data_dir) {
            Ok(d) => d,
            Err(e) => return AppState::new(PathBuf::new(), choice_file, chosen, Some(Err(e))),
        };
        if let DatabaseChoice::Server(_) = chosen {
            return AppState::new(dir, choice_file, chosen, None);
        }
        let conn = db::open_in(&dir);
        if let Ok(db) = &conn {
            // The day's copy at the first start of a day; a failure (a network folder that is not
            // there) does not keep anyone from working: it goes to the log, and the panel shows it.
            if let Err(e) = cpe_core::backup::daily_if_due(db, &dir, chrono::Local::now().naive_local()) {
                eprintln!("Ежедневная резервная копия не сделана: {}", e.message);
            }
        }
        AppState::new(dir, choice_file, chosen, Some(conn))
    }

    fn new(
        data_dir: PathBuf,
        choice_file: Option<PathBuf>,
        chosen: DatabaseChoice,
        conn: Option<Result<Db>>,
    ) -> AppState {
        AppState {
            data_dir,
            demo: None,
            choice_file,
            choice: Mutex::new(chosen),
            conn: Mutex::new(conn),
            server_password: Mutex::default(),
            reconnecting: Mutex::default(),
            lost_at: Mutex::default(),
            passwords: Arc::new(OsStore),
            passwords_available: Default::default(),
            session: Mutex::default(),
            sme_search: Mutex::default(),
            grants: Mutex::default(),
        }
    }

    pub fn with_demo(mut self, run: Arc<DemoRun>) -> AppState {
        self.demo = Some(run);
        self
    }

    /// Another store for remembered passwords (the tests' memory).
    #[cfg(test)]
    pub fn with_password_store(mut self, store: Arc<dyn PasswordStore>) -> AppState {
        self.passwords = store;
        self
    }

    pub fn open_error(&self) -> Option<CoreError> {
        self.lock().as_ref().and_then(|c| c.as_ref().err().cloned())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Result<Db>>> {
        self.conn.lock().unwrap_or_else(|poisoned| {
            self.conn.clear_poison();
            poisoned.into_inner()
        })
    }

    /// Opens the local database again (after a damaged one was replaced by a copy).
    pub fn reopen(&self) -> Result<()> {
        let opened = db::open_in(&self.data_dir);
        let outcome = opened.as_ref().map(|_| ()).map_err(Clone::clone);
        *self.lock() = Some(opened);
        self.forget_search();
        outcome
    }

    /// The database this installation works on.
    pub fn choice(&self) -> DatabaseChoice {
        self.choice.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// The server's address when working on the server.
    pub fn server(&self) -> Option<ServerAddress> {
        match self.choice() {
            DatabaseChoice::Server(a) => Some(a),
            DatabaseChoice::Local => None,
        }
    }

    /// Remembers the choice for this OS user (not for the demo, which has none).
    fn remember(&self, chosen: DatabaseChoice) -> Result<()> {
        if let Some(file) = &self.choice_file {
            choice::save(file, &chosen)?;
        }
        if let Ok(mut c) = self.choice.lock() {
            *c = chosen;
        }
        Ok(())
    }

    /// Logs `login` in to the centre's server at `address` (the server checks the password) and
    /// works there from now on: the connection replaces whatever was open, the address (with this
    /// login) is remembered. Nothing changes when the server refuses.
    pub fn connect_server(&self, address: &ServerAddress, password: &str) -> Result<Session> {
        address.validate()?;
        let mut db = db::server::connect(&address.url(password))?;
        let session = db::server::session(&mut db, chrono::Local::now().naive_local())?;
        self.remember(DatabaseChoice::Server(address.clone()))?;
        *self.lock() = Some(Ok(db));
        *self.server_password.lock().unwrap_or_else(|p| p.into_inner()) = Some(password.to_owned());
        self.forget_search();
        self.begin(session.clone());
        Ok(session)
    }

    /// [`Self::connect_server`], then «Запомнить пароль на этом компьютере» (`remember`) or
    /// forgetting one remembered before. A store that refuses does not undo the login (the
    /// password is asked at the next start; the log says why).
    pub fn connect_server_remembering(
        &self,
        address: &ServerAddress,
        password: &str,
        remember: bool,
    ) -> Result<Session> {
        let session = self.connect_server(address, password)?;
        if !remember {
            self.passwords.forget(address);
        } else if let Err(e) = self.passwords.set(address, password) {
            eprintln!("Пароль сервера не запомнен: хранилище паролей системы отказало ({e})");
        }
        Ok(session)
    }

    /// Whether the OS's password store answers (else «Запомнить пароль» is not offered).
    pub fn password_store_available(&self) -> bool {
        *self.passwords_available.get_or_init(|| self.passwords.available())
    }

    /// Whether a password is remembered on this computer for the chosen server's login.
    pub fn password_remembered(&self) -> bool {
        self.server().is_some_and(|a| self.passwords.get(&a).is_some())
    }

    /// Logs in to the chosen server with the password remembered on this computer (at start, or
    /// «Войти с сохранённым паролем» after the server was unreachable). One the server no longer
    /// accepts (changed from another PC) is forgotten.
    pub fn connect_remembered(&self) -> Result<Session> {
        let address = self.server().ok_or_else(|| {
            CoreError::new(
                ErrorCode::Validation,
                "Программа работает с локальной базой: входить на сервер не нужно",
            )
        })?;
        let Some(password) = self.passwords.get(&address) else {
            return Err(CoreError::field(
                "password",
                "Пароль не сохранён на этом компьютере: введите его",
            ));
        };
        self.connect_server(&address, &password).map_err(|e| {
            if e.code != ErrorCode::Auth {
                return e;
            }
            self.passwords.forget(&address);
            CoreError::field(
                "password",
                format!(
                    "Сервер не принял пароль, сохранённый на этом компьютере для «{}» (его могли сменить), \
                     и он забыт: введите пароль.",
                    address.login
                ),
            )
        })
    }

    /// After «Сменить пароль» on the server: the new password is the one to connect again with,
    /// and replaces a remembered one.
    pub fn server_password_changed(&self, password: &str) {
        let Some(address) = self.server() else { return };
        *self.server_password.lock().unwrap_or_else(|p| p.into_inner()) = Some(password.to_owned());
        if self.passwords.get(&address).is_some() {
            if let Err(e) = self.passwords.set(&address, password) {
                eprintln!("Новый пароль не запомнен в хранилище паролей: {e}");
                self.passwords.forget(&address);
            }
        }
    }

    /// Back to the local file of this computer (remembered), logged out; a password remembered
    /// for the server is forgotten with it.
    pub fn use_local(&self) -> Result<()> {
        if let Some(address) = self.server() {
            self.passwords.forget(&address);
        }
        self.remember(DatabaseChoice::Local)?;
        self.end_session();
        self.reopen().map(|_| ())
    }

    /// True when `password` is the logged-in person's (unlocking on the server asks the server).
    pub fn server_password_is(&self, password: &str) -> Result<bool> {
        self.with_open(|db| db::server::password_is(db, password))
    }

    fn forget_search(&self) {
        if let Ok(mut kept) = self.sme_search.lock() {
            *kept = Default::default();
        }
    }

    fn session_state(&self) -> std::sync::MutexGuard<'_, SessionState> {
        self.session.lock().unwrap_or_else(|poisoned| {
            self.session.clear_poison();
            poisoned.into_inner()
        })
    }

    /// The logged-in person, also while locked.
    pub fn session(&self) -> Option<Session> {
        self.session_state().session.clone()
    }

    pub fn is_locked(&self) -> bool {
        self.session_state().locked
    }

    /// Starts a session (a login, the first setup, an unlock).
    pub fn begin(&self, session: Session) {
        *self.session_state() = SessionState {
            session: Some(session),
            locked: false,
        };
    }

    pub fn lock_session(&self) {
        self.session_state().locked = true;
    }

    /// Logs out; on the server the connection is closed too (the next person connects as themselves).
    pub fn end_session(&self) {
        *self.session_state() = SessionState::default();
        if self.server().is_some() {
            *self.lock() = None;
            *self.server_password.lock().unwrap_or_else(|p| p.into_inner()) = None;
        }
    }

    /// Who and when, for a command: the logged-in person's role decides what the core allows.
    pub fn ctx(&self) -> Result<Ctx> {
        let state = self.session_state();
        match (&state.session, state.locked) {
            (Some(s), false) => Ok(s.ctx(chrono::Local::now().naive_local())),
            (Some(_), true) => Err(CoreError::new(
                ErrorCode::Auth,
                "Программа заблокирована: введите пароль, чтобы продолжить",
            )),
            (None, _) => Err(CoreError::new(
                ErrorCode::Auth,
                "Войдите в программу: выберите сотрудника и введите пароль",
            )),
        }
    }

    /// Records in the journal that something left the program (a file written, a job printed).
    pub fn journal_output(
        &self,
        entity: &str,
        entity_id: impl ToString,
        action: cpe_core::audit::AuditAction,
        details: serde_json::Value,
    ) -> Result<()> {
        let ctx = self.ctx()?;
        let id = entity_id.to_string();
        self.with(|c| cpe_core::audit::record_output(c, &ctx, entity, &id, action, &details))
    }

    /// True when the app works on the centre's server and its connection is lost (closed, not yet
    /// made again).
    pub fn link_lost(&self) -> bool {
        self.server().is_some() && closed(&self.lock())
    }

    /// Runs `f` on the database for a logged-in, unlocked session (see [`Self::with_open`]).
    pub fn with<T>(&self, f: impl FnOnce(&mut Db) -> Result<T>) -> Result<T> {
        self.ctx()?;
        self.with_open(f)
    }

    /// Runs `f` on the database connection; one call at a time (SQLite serialises writers anyway).
    /// A panic in `f` is caught ([`crate::guard`]): its transaction was rolled back while
    /// unwinding, so the connection is as good as before and the lock is released unpoisoned.
    /// Without a session: only for logging in, the first setup and the start screen's status.
    pub fn with_open<T>(&self, f: impl FnOnce(&mut Db) -> Result<T>) -> Result<T> {
        let asked = crate::dispatch::arrived().unwrap_or_else(Instant::now);
        if closed(&self.lock()) {
            // Lost in a call this one waited for (the change watcher's reading on the connection,
            // a call before it in the commands' queue, on a network gone silent): that call has
            // said so and so does this one, at once.
            if self.lost_at.lock().is_ok_and(|t| t.is_some_and(|t| t >= asked)) {
                return Err(db::server::no_link());
            }
            // Lost earlier: made again first, or this call says why not.
            self.connect_again()?;
        }
        let mut guard = self.lock();
        if closed(&guard) {
            return Err(db::server::no_link());
        }
        let Some(opened) = guard.as_mut() else {
            return Err(CoreError::new(
                ErrorCode::Auth,
                "Войдите в программу: введите логин и пароль сервера центра",
            ));
        };
        let db = opened.as_mut().map_err(|e| e.clone())?;
        // The server gone away (a restart, the network) fails this call, which says so, its form
        // kept as it was; the connection it leaves closed is made again by the next call.
        let outcome = crate::guard::guard(|| f(db))?;
        if outcome.is_err() && db.is_closed() {
            if let Ok(mut lost) = self.lost_at.lock() {
                *lost = Some(Instant::now());
            }
        }
        outcome
    }

    /// A new connection to the server in place of a lost one, with the same login. Made outside
    /// the connection's lock and one attempt at a time: a server that does not answer holds up
    /// only the call that tries (up to the connect timeout); the others meanwhile, such as the
    /// user's «Сохранить» while the change watcher tries, wait [`ATTEMPT_AWAITED`] at most for
    /// its outcome and then say that there is no link.
    /// Without the server's password in memory (none was typed) nothing is tried.
    fn connect_again(&self) -> Result<()> {
        let (Some(address), Some(password)) = (self.server(), self.server_password.lock().ok().and_then(|p| p.clone()))
        else {
            return Ok(());
        };
        let no_link = |why: &str| {
            CoreError::new(
                ErrorCode::Storage,
                format!("Нет связи с сервером базы данных центра, изменения не сохранены. {why}"),
            )
        };
        // Another call is trying already (the change watcher, every two seconds): this one waits
        // a moment for its outcome, not for up to the connect timeout.
        let asked = Instant::now();
        let mut attempt = loop {
            match self.reconnecting.try_lock() {
                Ok(attempt) => break attempt,
                Err(TryLockError::Poisoned(p)) => break p.into_inner(),
                Err(TryLockError::WouldBlock) if asked.elapsed() < ATTEMPT_AWAITED => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(no_link(
                        "Программа подключается к серверу заново — повторите через несколько секунд.",
                    ))
                }
            }
        };
        // The attempt waited for came to an end meanwhile: its outcome is this call's too.
        if let Some((_, failure)) = attempt.as_ref().filter(|(ended, _)| *ended >= asked) {
            return Err(failure.clone());
        }
        // Or it made the connection.
        if self
            .lock()
            .as_ref()
            .is_some_and(|o| o.as_ref().is_ok_and(|db| !db.is_closed()))
        {
            return Ok(());
        }
        let fresh = db::server::connect(&address.url(&password)).map_err(|e| match e.code {
            // Still away: what the user's action came to, then why (the server's address).
            ErrorCode::Storage => no_link(&e.message),
            _ => e,
        });
        *attempt = fresh.as_ref().err().map(|e| (Instant::now(), e.clone()));
        let fresh = fresh?;
        // Unless the session ended meanwhile (logged out: no connection is kept then), or
        // another call already put a working one in place.
        if let Some(Ok(db)) = self.lock().as_mut() {
            if db.is_closed() || db.is_broken() {
                *db = fresh;
            }
        }
        Ok(())
    }
}

/// Whether the kept connection is the server's and closed (lost, not yet made again).
fn closed(conn: &Option<Result<Db>>) -> bool {
    conn.as_ref().and_then(|o| o.as_ref().ok()).is_some_and(Db::is_closed)
}

/// How long a call waits for another's attempt to connect again before saying there is no link:
/// enough for an attempt that succeeds (the server back), far less than one that waits out the
/// connect timeout (the packets lost).
const ATTEMPT_AWAITED: Duration = Duration::from_secs(1);

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
