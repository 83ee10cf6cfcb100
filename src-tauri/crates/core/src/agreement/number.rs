//! Agreement numbers: a per-year pattern (default `{n}/{yyyy}-С`) and a counter incremented inside the caller's BEGIN IMMEDIATE transaction, so two windows or two app instances never get the same number.

use rusqlite::{params, Connection, OptionalExtension};

use crate::audit::{self, AuditAction, Ctx};
use crate::error::{CoreError, Result};

pub const NUMBER_PATTERN_KEY: &str = "agreement.number_pattern";
pub const DEFAULT_NUMBER_PATTERN: &str = "{n}/{yyyy}-С";

/// `{n}` the sequence number within the year, `{yyyy}` the year, `{yy}` its last two digits.
pub fn format_number(pattern: &str, n: u32, year: i32) -> String {
    pattern
        .replace("{yyyy}", &year.to_string())
        .replace("{yy}", &format!("{:02}", year.rem_euclid(100)))
        .replace("{n}", &n.to_string())
}

pub fn get_number_pattern(conn: &Connection) -> Result<String> {
    Ok(conn
        .query_row("SELECT value FROM setting WHERE key = ?1", [NUMBER_PATTERN_KEY], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or_else(|| DEFAULT_NUMBER_PATTERN.to_owned()))
}

pub fn set_number_pattern(conn: &mut Connection, ctx: &Ctx, pattern: &str) -> Result<String> {
    let pattern = pattern.trim();
    if !pattern.contains("{n}") {
        return Err(CoreError::field(
            "number_pattern",
            "Шаблон номера соглашения: должен содержать {n} — порядковый номер в году, например {n}/{yyyy}-С",
        ));
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let before = get_number_pattern(&tx)?;
    tx.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![NUMBER_PATTERN_KEY, pattern],
    )?;
    audit::record(
        &tx,
        ctx,
        "setting",
        NUMBER_PATTERN_KEY,
        AuditAction::Update,
        Some(&before),
        Some(&pattern.to_owned()),
    )?;
    tx.commit()?;
    Ok(pattern.to_owned())
}

/// The next free number of `year`. Call inside a transaction begun IMMEDIATE: the counter row is
/// then written by one connection at a time. A number already taken (e.g. a pattern without the
/// year) is skipped.
pub(super) fn next_number(conn: &Connection, year: i32) -> Result<String> {
    let pattern = get_number_pattern(conn)?;
    loop {
        let n: u32 = conn.query_row(
            "INSERT INTO agreement_counter (year, last) VALUES (?1, 1)
             ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last",
            [year],
            |r| r.get(0),
        )?;
        let number = format_number(&pattern, n, year);
        let taken: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM agreement WHERE number = ?1)",
            [&number],
            |r| r.get(0),
        )?;
        if !taken {
            return Ok(number);
        }
    }
}
