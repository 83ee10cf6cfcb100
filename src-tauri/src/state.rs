//! What the shell keeps between IPC calls: the open database (or why it could not be opened) and who is logged in — every command that reads or changes data needs a session that is not locked.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use cpe_core::audit::Ctx;
use cpe_core::db::Db;
use cpe_core::staff::Session;
use cpe_core::{db, CoreError, ErrorCode, Result};

use crate::demo::DemoRun;

pub struct AppState {
    pub data_dir: PathBuf,
    /// Set when started with `--demo`: the data is being made in a throw-away directory.
    pub demo: Option<Arc<DemoRun>>,
    /// The database, or why it could not be opened (a restore of a copy can replace it).
    conn: Mutex<Result<Db>>,
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
    pub fn open(data_dir: Option<PathBuf>) -> AppState {
        let dir = match data_dir.map(Ok).unwrap_or_else(db::default_data_dir) {
            Ok(d) => d,
            Err(e) => {
                return AppState {
                    data_dir: PathBuf::new(),
                    demo: None,
                    conn: Mutex::new(Err(e)),
                    session: Mutex::default(),
                    sme_search: Mutex::default(),
                    grants: Mutex::default(),
                }
            }
        };
        let conn = db::open_in(&dir);
        if let Ok(db) = &conn {
            // The day's copy at the first start of a day; a failure (a network folder that is not
            // there) does not keep anyone from working: it goes to the log, and the panel shows it.
            if let Err(e) = cpe_core::backup::daily_if_due(db, &dir, chrono::Local::now().naive_local()) {
                eprintln!("Ежедневная резервная копия не сделана: {}", e.message);
            }
        }
        AppState {
            data_dir: dir,
            demo: None,
            conn: Mutex::new(conn),
            session: Mutex::default(),
            sme_search: Mutex::default(),
            grants: Mutex::default(),
        }
    }

    pub fn with_demo(mut self, run: Arc<DemoRun>) -> AppState {
        self.demo = Some(run);
        self
    }

    pub fn open_error(&self) -> Option<CoreError> {
        self.lock().as_ref().err().cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Result<Db>> {
        self.conn.lock().unwrap_or_else(|poisoned| {
            self.conn.clear_poison();
            poisoned.into_inner()
        })
    }

    /// Opens the database again (after a damaged one was replaced by a copy).
    pub fn reopen(&self) -> Result<()> {
        let opened = db::open_in(&self.data_dir);
        let outcome = opened.as_ref().map(|_| ()).map_err(Clone::clone);
        *self.lock() = opened;
        outcome
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

    pub fn end_session(&self) {
        *self.session_state() = SessionState::default();
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
        let mut guard = self.lock();
        let db = guard.as_mut().map_err(|e| e.clone())?;
        crate::guard::guard(|| f(db))?
    }
}
