//! Passwords: the policy a new one must meet, and argon2id hashing (PHC strings with their own salt and parameters, so stronger parameters later still verify old hashes).

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::error::{CoreError, ErrorCode, Result};

pub const MIN_LEN: usize = 8;
const MAX_LEN: usize = 128;

/// Refuses a password a colleague could guess or a clerk could not type twice the same way.
pub fn check_policy(login: &str, password: &str) -> Result<()> {
    let n = password.chars().count();
    let problem = if n < MIN_LEN {
        Some(format!("не короче {MIN_LEN} символов (сейчас {n})"))
    } else if n > MAX_LEN {
        Some(format!("не длиннее {MAX_LEN} символов"))
    } else if password.chars().any(char::is_control) {
        Some("без управляющих символов".into())
    } else if !login.is_empty() && password.to_lowercase().contains(&login.to_lowercase()) {
        Some("не должен содержать логин".into())
    } else if password.chars().all(|c| password.starts_with(c)) {
        Some("не из одного повторённого символа".into())
    } else {
        None
    };
    match problem {
        Some(p) => Err(CoreError::field("password", format!("Пароль: {p}"))),
        None => Ok(()),
    }
}

/// The PHC string of `password` (after the policy): argon2id with the crate's default parameters
/// (19 MiB, 2 passes — OWASP's recommendation) and a random salt.
pub fn hash(login: &str, password: &str) -> Result<String> {
    check_policy(login, password)?;
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::new(ErrorCode::Internal, format!("Не удалось зашифровать пароль: {e}")))
}

/// Whether `password` matches the stored PHC string; a damaged hash matches nothing.
pub fn verify(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// What the staff table keeps for an account whose password the centre's server keeps (its login
/// role's password): the account has a password, but no hash of it is readable by colleagues.
pub(crate) const ON_SERVER: &str = "server";

/// What to store in the staff row for `password` (after the policy): its hash in the local file;
/// on the server, the mark [`ON_SERVER`] — the server's login role gets the password itself.
pub(crate) fn stored(db: &crate::db::Db, login: &str, password: &str) -> Result<String> {
    match db.engine() {
        crate::db::Engine::Sqlite => hash(login, password),
        crate::db::Engine::Postgres => check_policy(login, password).map(|()| ON_SERVER.to_owned()),
    }
}
