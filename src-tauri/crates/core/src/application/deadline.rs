//! Working-day deadlines of application statuses: the settings (indicative and normative days per status), the pure rule and the «просрочено / скоро срок» list.

use crate::db::Db;
use crate::params;
use crate::staff::Right;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ApplicationStatus;
use crate::audit::{self, AuditAction, Ctx};
use crate::calendar::{self, Calendar};
use crate::error::{CoreError, Result};

/// Setting key of [`DeadlineSettings`] (JSON).
pub const DEADLINES_KEY: &str = "application.deadlines";

/// Working days allowed in a status, counted from the day after the application entered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeadlineDays {
    /// Индикативный срок: staff are warned from this day on.
    pub indicative: u32,
    /// Нормативный срок: after this day the application is overdue.
    pub normative: u32,
}

/// Deadlines per status; `None`: the status has no deadline. Defaults follow table 5.9 of the
/// e-commerce regulation (review: 2 working days, warning after 1); the others are an
/// interpretation the centre may change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct DeadlineSettings {
    pub new: Option<DeadlineDays>,
    pub under_review: Option<DeadlineDays>,
    pub rework: Option<DeadlineDays>,
    pub approved: Option<DeadlineDays>,
}

/// Only the review's 2 working days come from the regulation of services; the other deadlines are
/// the centre's own settings (the defaults follow the table of §5.9 of the e-commerce regulation,
/// which is a recommendation for that service only), and the settings screen says so.
impl Default for DeadlineSettings {
    fn default() -> Self {
        DeadlineSettings {
            new: Some(DeadlineDays {
                indicative: 1,
                normative: 1,
            }),
            under_review: Some(DeadlineDays {
                indicative: 1,
                normative: 2,
            }),
            rework: Some(DeadlineDays {
                indicative: 7,
                normative: 10,
            }),
            approved: Some(DeadlineDays {
                indicative: 5,
                normative: 10,
            }),
        }
    }
}

impl DeadlineSettings {
    pub fn for_status(&self, status: ApplicationStatus) -> Option<DeadlineDays> {
        match status {
            ApplicationStatus::New => self.new,
            ApplicationStatus::UnderReview => self.under_review,
            ApplicationStatus::Rework => self.rework,
            ApplicationStatus::Approved => self.approved,
            _ => None,
        }
    }
}

pub fn get_deadlines(conn: &Db) -> Result<DeadlineSettings> {
    let v: Option<String> = conn.query_opt("SELECT value FROM setting WHERE key = ?1", [DEADLINES_KEY], |r| {
        r.get(0)
    })?;
    match v {
        None => Ok(DeadlineSettings::default()),
        Some(v) => serde_json::from_str(&v).map_err(|e| {
            CoreError::storage(format!(
                "Настройка сроков заявок повреждена ({e}). Сохраните её заново."
            ))
        }),
    }
}

pub fn save_deadlines(conn: &mut Db, ctx: &Ctx, s: &DeadlineSettings) -> Result<DeadlineSettings> {
    for (field, d) in [
        ("new", s.new),
        ("under_review", s.under_review),
        ("rework", s.rework),
        ("approved", s.approved),
    ] {
        if let Some(d) = d {
            if d.normative == 0 || d.normative > 250 || d.indicative > d.normative {
                return Err(CoreError::field(
                    field,
                    "Срок: нормативный — от 1 до 250 рабочих дней, индикативный — не больше нормативного",
                ));
            }
        }
    }
    let tx = conn.write(ctx, Right::Settings)?;
    let before = get_deadlines(&tx)?;
    tx.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![DEADLINES_KEY, serde_json::to_string(s).expect("settings serialise")],
    )?;
    audit::record(
        &tx,
        ctx,
        "setting",
        DEADLINES_KEY,
        AuditAction::Update,
        Some(&before),
        Some(s),
    )?;
    tx.commit()?;
    Ok(s.clone())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DeadlineState {
    OnTime,
    /// The indicative deadline has come: «скоро срок».
    Soon,
    /// The normative deadline has passed: «просрочено».
    Overdue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Deadline {
    pub indicative_on: NaiveDate,
    pub normative_on: NaiveDate,
    pub state: DeadlineState,
}

/// Pure: the deadline of a status entered on `since`, as of `today`; `None` without a deadline.
pub fn deadline_for(
    cal: &Calendar,
    settings: &DeadlineSettings,
    status: ApplicationStatus,
    since: NaiveDate,
    today: NaiveDate,
) -> Result<Option<Deadline>> {
    let Some(days) = settings.for_status(status) else {
        return Ok(None);
    };
    let indicative_on = cal.add_working_days(since, days.indicative)?;
    let normative_on = cal.add_working_days(since, days.normative)?;
    let state = if today > normative_on {
        DeadlineState::Overdue
    } else if today >= indicative_on {
        DeadlineState::Soon
    } else {
        DeadlineState::OnTime
    };
    Ok(Some(Deadline {
        indicative_on,
        normative_on,
        state,
    }))
}

/// The deadline of one application as its card shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApplicationDeadline {
    pub status: ApplicationStatus,
    pub status_since: NaiveDate,
    pub days: DeadlineDays,
    pub deadline: Deadline,
    /// Working days from `today` to the normative deadline: 0 on the day itself, negative when
    /// overdue (how many working days late).
    pub working_days_left: i64,
    /// The deadline falls in a year whose calendar is not official yet (no transfer decree).
    pub provisional: bool,
}

/// The deadline of application `id` as of `today`; `None` when its status has no deadline. Fails
/// (naming the year) when the calendar lacks a year the count needs.
pub fn deadline_of(conn: &Db, id: i64, today: NaiveDate) -> Result<Option<ApplicationDeadline>> {
    let a = super::get(conn, id)?;
    let settings = get_deadlines(conn)?;
    let Some(days) = settings.for_status(a.status) else {
        return Ok(None);
    };
    let cal = calendar::store::load(conn)?;
    let Some(deadline) = deadline_for(&cal, &settings, a.status, a.status_since, today)? else {
        return Ok(None);
    };
    let working_days_left = cal.working_days_between(today, deadline.normative_on)?;
    let provisional = cal.is_provisional(deadline.normative_on)?;
    Ok(Some(ApplicationDeadline {
        provisional,
        status: a.status,
        status_since: a.status_since,
        days,
        deadline,
        working_days_left,
    }))
}

/// One line of «просрочено / скоро срок».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeadlineAlert {
    pub application_id: i64,
    pub sme_name: String,
    pub service_code: String,
    pub status: ApplicationStatus,
    pub status_since: NaiveDate,
    pub deadline: Deadline,
}

/// Applications whose deadline is overdue or near as of `today`: overdue first, then by date.
pub fn deadline_alerts(conn: &Db, today: NaiveDate) -> Result<Vec<DeadlineAlert>> {
    let cal = calendar::store::load(conn)?;
    let settings = get_deadlines(conn)?;
    let mut out = Vec::new();
    // Only the statuses that have a deadline are read (closed applications are most of ten years).
    let timed = ApplicationStatus::ALL
        .into_iter()
        .filter(|s| settings.for_status(*s).is_some());
    for a in timed
        .map(|s| super::list(conn, Some(s), None))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
    {
        if let Some(d) = deadline_for(&cal, &settings, a.status, a.status_since, today)? {
            if d.state != DeadlineState::OnTime {
                out.push(DeadlineAlert {
                    application_id: a.id,
                    sme_name: a.sme_name,
                    service_code: a.service_code,
                    status: a.status,
                    status_since: a.status_since,
                    deadline: d,
                });
            }
        }
    }
    out.sort_by_key(|a| {
        (
            a.deadline.state != DeadlineState::Overdue,
            a.deadline.normative_on,
            a.application_id,
        )
    });
    Ok(out)
}
