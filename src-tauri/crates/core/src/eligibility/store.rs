//! SQL of eligibility checks and their setting: prefilling a check from the imported registry, recording it with its audit entry, history and the current verdict.

use crate::db::Db;
use crate::params;
use crate::staff::Right;
use chrono::NaiveDate;

use super::{
    automatic_criteria, outcome_of, verdict, Check, CheckInput, CheckOutcome, CheckSource, Criterion, CriterionResult,
    CurrentVerdict, Outcome,
};
use crate::audit::{self, AuditAction, Ctx};
use crate::error::{CoreError, ErrorCode, Result};
use crate::sme::{self, SmeKind};
use crate::{centre, fns_registry};

/// Setting key: after how many days a check must be made again.
pub const RECHECK_DAYS_KEY: &str = "eligibility.recheck_days";
const RECHECK_DAYS_DEFAULT: u32 = 30;

/// Days a check stays valid (setting, default 30).
pub fn recheck_days(conn: &Db) -> Result<u32> {
    let v: Option<String> = conn.query_opt("SELECT value FROM setting WHERE key = ?1", [RECHECK_DAYS_KEY], |r| {
        r.get(0)
    })?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(RECHECK_DAYS_DEFAULT))
}

pub fn set_recheck_days(conn: &mut Db, ctx: &Ctx, days: u32) -> Result<()> {
    if !(1..=3650).contains(&days) {
        return Err(CoreError::field(
            "recheck_days",
            "Срок действия проверки: укажите от 1 до 3650 дней",
        ));
    }
    let tx = conn.write(ctx, Right::Settings)?;
    let old = recheck_days(&tx)?;
    tx.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![RECHECK_DAYS_KEY, days.to_string()],
    )?;
    audit::record(
        &tx,
        ctx,
        "setting",
        RECHECK_DAYS_KEY,
        AuditAction::Update,
        Some(&old),
        Some(&days),
    )?;
    tx.commit()?;
    Ok(())
}

/// Criteria 1–2 for an INN from the newest imported snapshots (pure rule: [`automatic_criteria`]).
pub fn automatic(conn: &Db, inn: &str, kind: SmeKind) -> Result<(Option<CheckSource>, Vec<CriterionResult>)> {
    let holding = fns_registry::newest_holding(conn, inn)?;
    let newest = fns_registry::newest_snapshot(conn)?;
    let centre_region = centre::get(conn)?.region_code;
    Ok(automatic_criteria(
        kind,
        holding.as_ref().map(|(s, r)| (s, r)),
        newest.as_ref(),
        centre_region.trim(),
    ))
}

/// A draft check of an SME: criteria 1–2 from the registry, the others to be answered by staff.
/// Nothing is saved.
pub fn prefill(conn: &Db, sme_id: i64) -> Result<CheckInput> {
    let sme = sme::get(conn, sme_id)?;
    let (source, mut criteria) = automatic(conn, &sme.input.inn, sme.input.kind)?;
    for c in Criterion::required_for(sme.input.kind) {
        if !criteria.iter().any(|r| r.criterion == c) {
            criteria.push(CriterionResult::new(c, Outcome::Unknown, "Проверяет сотрудник центра"));
        }
    }
    Ok(CheckInput {
        sme_id,
        source: source.unwrap_or(CheckSource::Manual { comment: String::new() }),
        criteria,
    })
}

fn invalid(field: &str, message: impl Into<String>) -> CoreError {
    CoreError::field(field, message)
}

/// Records a check of an SME: one transaction with its audit entry. Every criterion required for
/// the SME's kind must be present once; a failed one needs its reason; a manual check needs a
/// comment saying where it was checked.
pub fn record(conn: &mut Db, ctx: &Ctx, input: &CheckInput) -> Result<Check> {
    let tx = conn.write(ctx, Right::Registry)?;
    let sme = sme::get(&tx, input.sme_id)?;
    let required = Criterion::required_for(sme.input.kind);
    for (i, c) in input.criteria.iter().enumerate() {
        if !required.contains(&c.criterion) {
            return Err(invalid(
                "criteria",
                format!(
                    "Критерий «{}» не применяется к виду «{}» — уберите его",
                    c.criterion.label(),
                    sme.input.kind.label()
                ),
            ));
        }
        if input.criteria[..i].iter().any(|p| p.criterion == c.criterion) {
            return Err(invalid(
                "criteria",
                format!("Критерий «{}» указан дважды", c.criterion.label()),
            ));
        }
        if c.outcome == Outcome::Fail && c.reason.trim().is_empty() {
            return Err(invalid(
                "criteria",
                format!("Критерий «{}» не выполнен: укажите причину", c.criterion.label()),
            ));
        }
    }
    if let Some(missing) = required
        .iter()
        .find(|c| !input.criteria.iter().any(|r| r.criterion == **c))
    {
        return Err(invalid(
            "criteria",
            format!("Не указан результат по критерию «{}»", missing.label()),
        ));
    }
    // The snapshot's date is taken from the database, not from the form.
    let (source_kind, snapshot_id, snapshot_date, comment) = match &input.source {
        CheckSource::Snapshot {
            snapshot_id: Some(id), ..
        } => {
            let s = fns_registry::snapshot(&tx, *id)?;
            (
                "snapshot",
                Some(s.id),
                Some(s.state_date.format("%Y-%m-%d").to_string()),
                String::new(),
            )
        }
        CheckSource::Snapshot { snapshot_id: None, .. } => {
            return Err(invalid(
                "source",
                "Источник: выберите загруженную выгрузку реестра МСП или «проверено вручную»",
            ));
        }
        CheckSource::Manual { comment } if comment.trim().is_empty() => {
            return Err(invalid("source", "Источник: при ручной проверке укажите, где и как проверено (например, «сайт ФНС, выписка от 01.03.2025»)"));
        }
        CheckSource::Manual { comment } => ("manual", None, None, comment.trim().to_owned()),
    };
    let outcome = outcome_of(&input.criteria);
    let id: i64 = tx.query_row(
        "INSERT INTO eligibility_check (sme_id, checked_at, checked_by, source_kind, snapshot_id, snapshot_date, source_comment, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        params![input.sme_id, ctx.stamp(), ctx.actor, source_kind, snapshot_id, snapshot_date, comment, outcome.as_str()], |r| r.get(0))?;
    for c in &input.criteria {
        tx.execute(
            "INSERT INTO eligibility_criterion (check_id, criterion, outcome, reason) VALUES (?1, ?2, ?3, ?4)",
            params![id, c.criterion.as_str(), c.outcome.as_str(), c.reason.trim()],
        )?;
    }
    let check = get(&tx, id)?;
    audit::record(
        &tx,
        ctx,
        "eligibility_check",
        id,
        AuditAction::Create,
        None,
        Some(&check),
    )?;
    tx.commit()?;
    Ok(check)
}

fn get(conn: &Db, id: i64) -> Result<Check> {
    let mut checks = load(conn, "WHERE id = ?1", id)?;
    checks
        .pop()
        .ok_or_else(|| CoreError::new(ErrorCode::NotFound, format!("Проверка № {id} не найдена")))
}

fn load(conn: &Db, filter: &str, arg: i64) -> Result<Vec<Check>> {
    let rows = conn.query_map(
        &format!(
        "SELECT id, sme_id, checked_at, checked_by, source_kind, snapshot_id, snapshot_date, source_comment, outcome
         FROM eligibility_check {filter} ORDER BY checked_at DESC, id DESC"
    ),
        [arg],
        |r| {
            let kind: String = r.get(4)?;
            let date: Option<String> = r.get(6)?;
            let source = match (
                kind.as_str(),
                date.as_deref()
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            ) {
                ("snapshot", Some(state_date)) => CheckSource::Snapshot {
                    snapshot_id: r.get(5)?,
                    state_date,
                },
                _ => CheckSource::Manual { comment: r.get(7)? },
            };
            let outcome: String = r.get(8)?;
            Ok(Check {
                id: r.get(0)?,
                sme_id: r.get(1)?,
                checked_at: r.get(2)?,
                checked_by: r.get(3)?,
                source,
                criteria: Vec::new(),
                outcome: CheckOutcome::parse(&outcome).unwrap_or(CheckOutcome::Incomplete),
            })
        },
    )?;
    let mut checks: Vec<Check> = rows;
    for check in &mut checks {
        let rows = conn.query_map(
            "SELECT criterion, outcome, reason FROM eligibility_criterion WHERE check_id = ?1",
            [check.id],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)),
        )?;
        for row in rows {
            let (criterion, outcome, reason) = row;
            if let (Some(criterion), Some(outcome)) = (Criterion::parse(&criterion), Outcome::parse(&outcome)) {
                check.criteria.push(CriterionResult {
                    criterion,
                    outcome,
                    reason,
                });
            }
        }
        check
            .criteria
            .sort_by_key(|c| Criterion::ALL.iter().position(|x| *x == c.criterion));
    }
    Ok(checks)
}

/// All checks of an SME, the newest first.
pub fn history(conn: &Db, sme_id: i64) -> Result<Vec<Check>> {
    sme::get(conn, sme_id)?;
    load(conn, "WHERE sme_id = ?1", sme_id)
}

/// The verdict the SME card shows today (pure rule: [`verdict`]).
pub fn current(conn: &Db, sme_id: i64, today: NaiveDate) -> Result<CurrentVerdict> {
    let checks = history(conn, sme_id)?;
    let newest = fns_registry::newest_snapshot(conn)?;
    Ok(verdict(checks.first(), newest.as_ref(), today, recheck_days(conn)?))
}
