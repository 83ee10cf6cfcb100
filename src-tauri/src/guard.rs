//! A panic in a command must not take the app down: it is caught, logged, and returned to the UI as an `internal` error, with nothing saved.
//!
//! A panic that left a command would end the commands' thread ([`crate::dispatch`]), and with it
//! every later call, or abort the whole process inside the main loop's callback (and with it
//! every unsaved form). So every command runs inside [`guard`] (directly, or through
//! [`crate::state::AppState::with`]), and the commands' thread guards each call once more.
//! Unwinding drops an open database transaction (`Tx`), which rolls it back: a change is saved
//! whole or not at all.

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cpe_core::{CoreError, ErrorCode, Result};

/// The log is kept below this size: when it grows past it, it becomes `cpe-errors.log.1`.
const LOG_LIMIT: u64 = 1024 * 1024;

static LOG: OnceLock<PathBuf> = OnceLock::new();

/// Writes panics (message, place, backtrace) to `cpe-errors.log` in the data directory as well
/// as to standard error. Called once at start.
pub fn install_log(data_dir: &Path) {
    let _ = LOG.set(data_dir.join("cpe-errors.log"));
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        default(info);
        if let Some(path) = LOG.get() {
            let backtrace = std::backtrace::Backtrace::force_capture();
            let line = format!(
                "{} — внутренняя ошибка: {info}\n{backtrace}\n",
                chrono::Local::now().format("%Y-%m-%d %H:%M:%S")
            );
            append(path, &line);
        }
    }));
}

fn append(path: &Path, text: &str) {
    if std::fs::metadata(path).is_ok_and(|m| m.len() > LOG_LIMIT) {
        let _ = std::fs::rename(path, path.with_extension("log.1"));
    }
    if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
        let _ = f.write_all(text.as_bytes());
    }
}

/// Runs `f`; a panic becomes an `internal` error in Russian.
pub fn guard<T>(f: impl FnOnce() -> T) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let log = LOG
            .get()
            .map(|p| format!(" Подробности записаны в файл {}.", p.display()))
            .unwrap_or_default();
        CoreError::new(
            ErrorCode::Internal,
            format!(
                "Внутренняя ошибка программы ({what}). Данные не изменены; повторите действие или сообщите \
                 разработчикам.{log}"
            ),
        )
    })
}

/// A form's validator: a panic is shown as one more problem of the form.
pub fn guard_list(f: impl FnOnce() -> Vec<CoreError>) -> Vec<CoreError> {
    guard(f).unwrap_or_else(|e| vec![e])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let e = guard(|| -> u32 { panic!("деление на ноль") }).unwrap_err();
        assert_eq!(e.code, ErrorCode::Internal);
        assert!(
            e.message.contains("деление на ноль") && e.message.contains("Данные не изменены"),
            "{}",
            e.message
        );
        assert_eq!(guard(|| 7).unwrap(), 7);
        assert_eq!(guard_list(|| panic!("x")).len(), 1);
    }

    /// A command that panics in the middle of a change leaves nothing saved, and the next command
    /// works on the same connection (the lock is not poisoned).
    #[test]
    fn the_database_survives_a_panic_in_a_command() {
        let dir = tempfile::tempdir().unwrap();
        let state = crate::state::AppState::open(Some(dir.path().to_owned()), None);
        let e = state
            .with_open(|db| -> Result<()> {
                let ctx = cpe_core::audit::Ctx::new("Тест", chrono::Local::now().naive_local());
                let tx = db.write(&ctx, cpe_core::staff::Right::Accounts)?;
                tx.execute("INSERT INTO staff (full_name) VALUES ('Половина изменения')", [])?;
                panic!("сбой посреди записи");
            })
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Internal);
        let n: i64 = state
            .with_open(|db| db.query_row("SELECT count(*) FROM staff", [], |r| r.get(0)))
            .unwrap();
        assert_eq!(n, 0, "the half-made change was rolled back");
    }
}
