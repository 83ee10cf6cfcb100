//! The one error type that leaves the core: a stable `code` the UI switches on and a Russian `message` a person can act on.

use serde::Serialize;
use ts_rs::TS;

/// Stable machine-readable error codes. The UI and scripts switch on these, never on the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// A field of a form is wrong; `field` names it.
    Validation,
    /// The record would duplicate an existing one (e.g. the same INN).
    Duplicate,
    /// The requested record does not exist.
    NotFound,
    /// The database was written by a newer version of the app; it is left untouched.
    DatabaseTooNew,
    /// The database file could not be opened, read or written.
    Storage,
    /// An operation was cancelled by the user.
    Cancelled,
    /// A rule of the regulation forbids the operation.
    Rule,
    /// A file to import or export could not be read or written.
    File,
    /// No Central Bank rate is stored for a currency on a day; `field` is `rate:CODE:YYYY-MM-DD`,
    /// and the UI offers to enter it by hand.
    MissingRate,
    /// The staff member's role does not allow the change; the message names who may do it.
    Forbidden,
    /// Nobody is logged in, the session is locked, or a login failed (wrong password, a delay).
    Auth,
    /// A fault of the program itself (a caught panic): nothing was changed; the details are in the log.
    Internal,
    /// The record was changed by someone else after the form was opened: nothing was saved; the
    /// message says who, when and what (the form offers to save over it or to load it again).
    Conflict,
}

/// What every fallible core function returns on failure. Serialised to the UI as
/// `{code, message, field}`; `field` is the form field the message belongs next to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct CoreError {
    pub code: ErrorCode,
    pub message: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

impl CoreError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        CoreError {
            code,
            message: message.into(),
            field: None,
        }
    }

    /// A validation error attached to a form field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        CoreError {
            code: ErrorCode::Validation,
            message: message.into(),
            field: Some(field.to_owned()),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    pub fn storage(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Storage, message)
    }
}

impl From<rusqlite::Error> for CoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as S;
        let message = match e.sqlite_error_code() {
            Some(S::DatabaseBusy) | Some(S::DatabaseLocked) => {
                "База данных занята другим окном или программой. Повторите действие через несколько секунд.".to_owned()
            }
            Some(S::DiskFull) => {
                "На диске закончилось место: изменения не сохранены. Освободите место и повторите.".to_owned()
            }
            Some(S::ReadOnly) | Some(S::PermissionDenied) | Some(S::CannotOpen) => {
                format!("Нет доступа к файлу базы данных: {e}. Проверьте права на папку данных.")
            }
            Some(S::NotADatabase) | Some(S::DatabaseCorrupt) => {
                "Файл базы данных повреждён или это не база ЦПЭ. Восстановите её из резервной копии: \
                 программа предложит копии при запуске (или «Настройки → Резервные копии»; в командной строке — \
                 cpe backup restore ФАЙЛ)."
                    .to_owned()
            }
            _ => format!("Ошибка базы данных: {e}. Изменения не сохранены."),
        };
        CoreError::storage(message)
    }
}

impl From<std::io::Error> for CoreError {
    fn from(e: std::io::Error) -> Self {
        CoreError::new(ErrorCode::File, format!("Ошибка работы с файлом: {e}"))
    }
}

/// Collects every problem of a form at once, so the UI can mark all wrong fields together.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<CoreError>);

impl Problems {
    /// Records the outcome of a field validator under the field's name, prefixing the reason
    /// with the field's Russian label when the reason does not already name it.
    pub fn check<T>(&mut self, field: &str, label: &str, outcome: std::result::Result<T, String>) {
        if let Err(reason) = outcome {
            let message = if reason.starts_with(label) {
                reason
            } else {
                format!("{label}: {reason}")
            };
            self.0.push(CoreError::field(field, message));
        }
    }

    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(CoreError::field(field, message));
    }

    /// Ok when there are no problems; otherwise the first one (forms show them all through `validate`).
    pub fn into_result(self) -> Result<()> {
        match self.0.into_iter().next() {
            None => Ok(()),
            Some(e) => Err(e),
        }
    }
}
