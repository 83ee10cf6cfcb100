//! Agreement numbers: a per-year pattern (default `{n}/{yyyy}-С`) and a counter incremented inside the caller's BEGIN IMMEDIATE transaction, so two windows or two app instances never get the same number.

use crate::db::Db;
use crate::params;
use crate::staff::Right;

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

pub fn get_number_pattern(conn: &Db) -> Result<String> {
    Ok(conn
        .query_opt("SELECT value FROM setting WHERE key = ?1", [NUMBER_PATTERN_KEY], |r| {
            r.get(0)
        })?
        .unwrap_or_else(|| DEFAULT_NUMBER_PATTERN.to_owned()))
}

/// Checks a pattern staff typed: it must hold `{n}` (else two agreements of a year would get the
/// same number), know every placeholder it uses, and stay short enough for a document heading.
pub fn validate_number_pattern(pattern: &str) -> Result<()> {
    let pattern = pattern.trim();
    let bad = |m: String| Err(CoreError::field("number_pattern", m));
    if !pattern.contains("{n}") {
        return bad(
            "Шаблон номера соглашения: должен содержать {n} — порядковый номер в году, например {n}/{yyyy}-С".into(),
        );
    }
    if pattern.chars().count() > 40 {
        return bad("Шаблон номера соглашения: не длиннее 40 знаков".into());
    }
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return bad("Шаблон номера соглашения: не закрыта фигурная скобка «{»".into());
        };
        let name = &after[..close];
        if !matches!(name, "n" | "yyyy" | "yy") {
            return bad(format!(
                "Шаблон номера соглашения: неизвестная подстановка {{{name}}}; доступны {{n}}, {{yyyy}}, {{yy}}"
            ));
        }
        rest = &after[close + 1..];
    }
    if rest.contains('}') || pattern.matches('}').count() != pattern.matches('{').count() {
        return bad("Шаблон номера соглашения: лишняя фигурная скобка «}»".into());
    }
    Ok(())
}

/// What the first agreement of `year` would be numbered under `pattern`, or why the pattern is wrong.
pub fn preview_number(pattern: &str, year: i32) -> Result<String> {
    validate_number_pattern(pattern)?;
    Ok(format_number(pattern.trim(), 1, year))
}

pub fn set_number_pattern(conn: &mut Db, ctx: &Ctx, pattern: &str) -> Result<String> {
    let pattern = pattern.trim();
    validate_number_pattern(pattern)?;
    let tx = conn.write(ctx, Right::Settings)?;
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
pub(super) fn next_number(conn: &Db, year: i32) -> Result<String> {
    let pattern = get_number_pattern(conn)?;
    loop {
        let n: u32 = conn.query_row(
            "INSERT INTO agreement_counter (year, last) VALUES (?1, 1)
             ON CONFLICT (year) DO UPDATE SET last = agreement_counter.last + 1 RETURNING last",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_is_previewed_or_refused_with_the_reason() {
        assert_eq!(preview_number("{n}/{yyyy}-С", 2026).unwrap(), "1/2026-С");
        assert_eq!(preview_number(" С-{yy}-{n} ", 2026).unwrap(), "С-26-1");
        for (bad, needle) in [
            ("{yyyy}-С", "{n}"),
            ("{n}/{year}", "{year}"),
            ("{n}/{yyyy", "не закрыта"),
            ("{n}}/{yyyy}", "лишняя"),
            ("{n}-очень-длинный-шаблон-номера-соглашения-с-годом", "40"),
        ] {
            let e = preview_number(bad, 2026).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("number_pattern"), "{bad}");
            assert!(e.message.contains(needle), "{bad}: {}", e.message);
        }
    }
}
