//! Consultations and information (catalog rows 1, 2, 3.1, 3.2): the journal of questions the centre answered — date, business of the registry or a person not yet registered, row, channel, topic, staff, minutes, outcome — support received that counts in KPI 1 when it names an SME.

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::application::Channel;
use crate::audit::{self, AuditAction, Ctx};
use crate::db::{Db, Row};
use crate::error::{CoreError, Result};
use crate::params;
use crate::staff::Right;

/// The catalog rows given as a consultation.
pub const ROWS: [&str; 4] = ["1", "2", "3.1", "3.2"];

/// What staff type on the quick-entry form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsultationInput {
    pub date: NaiveDate,
    /// The business of the registry; `None` for a person not yet registered.
    pub sme_id: Option<i64>,
    /// The person's name and contact when there is no SME (then it does not count in KPI 1).
    #[serde(default)]
    pub person: String,
    /// Catalog row: 1, 2, 3.1 or 3.2.
    pub service_code: String,
    pub channel: Channel,
    pub topic: String,
    #[serde(default)]
    pub minutes: Option<u32>,
    /// Outcome or next step.
    #[serde(default)]
    pub outcome: String,
    /// Row 2 is «на основании заявки»: the application it answers.
    #[serde(default)]
    pub application_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Consultation {
    pub id: i64,
    #[serde(flatten)]
    pub input: ConsultationInput,
    pub sme_name: Option<String>,
    pub sme_inn: Option<String>,
    /// Who gave it (the logged-in staff member).
    pub staff: String,
}

/// The saved consultation and, when the same business already had one on the same topic that
/// day, that one — pointed out, not refused (a second call about the same question happens).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Recorded {
    pub consultation: Consultation,
    pub duplicate_of: Option<i64>,
}

/// Which consultations to list (newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ConsultationQuery {
    pub sme_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// At most this many (default 500).
    pub limit: Option<u32>,
}

const COLUMNS: &str = "c.id, c.date, c.sme_id, c.person, c.service_code, c.channel, c.topic, c.minutes, c.outcome, \
                       c.application_id, s.full_name, s.inn, c.staff";

fn from_row(r: &Row) -> Result<Consultation> {
    let channel: String = r.get(5)?;
    Ok(Consultation {
        id: r.get(0)?,
        input: ConsultationInput {
            date: r.get(1)?,
            sme_id: r.get(2)?,
            person: r.get(3)?,
            service_code: r.get(4)?,
            channel: Channel::parse(&channel).unwrap_or(Channel::Visit),
            topic: r.get(6)?,
            minutes: r.get(7)?,
            outcome: r.get(8)?,
            application_id: r.get(9)?,
        },
        sme_name: r.get(10)?,
        sme_inn: r.get(11)?,
        staff: r.get(12)?,
    })
}

pub fn get(conn: &Db, id: i64) -> Result<Consultation> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM consultation c LEFT JOIN sme s ON s.id = c.sme_id WHERE c.id = ?1"),
        [id],
        from_row,
    )?
    .ok_or_else(|| CoreError::not_found(format!("Консультация № {id} не найдена")))
}

pub fn list(conn: &Db, q: &ConsultationQuery) -> Result<Vec<Consultation>> {
    conn.query_map(
        &format!(
            "SELECT {COLUMNS} FROM consultation c LEFT JOIN sme s ON s.id = c.sme_id
             WHERE (?1 IS NULL OR c.sme_id = ?1) AND (?2 IS NULL OR c.date >= ?2) AND (?3 IS NULL OR c.date <= ?3)
             ORDER BY c.date DESC, c.id DESC LIMIT ?4"
        ),
        params![q.sme_id, q.from, q.to, q.limit.unwrap_or(500).min(100_000)],
        from_row,
    )
}

fn validate(conn: &Db, ctx: &Ctx, input: &ConsultationInput) -> Result<ConsultationInput> {
    let mut i = input.clone();
    i.person = i.person.trim().to_owned();
    i.topic = i.topic.trim().to_owned();
    i.outcome = i.outcome.trim().to_owned();
    i.service_code = i.service_code.trim().to_owned();
    for (field, text) in [("person", &i.person), ("topic", &i.topic), ("outcome", &i.outcome)] {
        crate::fields::check_text(field, text)?;
    }
    if !ROWS.contains(&i.service_code.as_str()) {
        return Err(CoreError::field(
            "service_code",
            format!(
                "Услуга «{}»: консультацией оказываются строки 1, 2, 3.1 и 3.2 каталога — выберите одну из них",
                i.service_code
            ),
        ));
    }
    if i.topic.is_empty() {
        return Err(CoreError::field("topic", "Тема: кратко запишите, о чём был вопрос"));
    }
    if i.date > ctx.now.date() {
        return Err(CoreError::field(
            "date",
            "Дата консультации не может быть позже сегодняшнего дня",
        ));
    }
    if let Some(m) = i.minutes.filter(|m| !(1..=1440).contains(m)) {
        return Err(CoreError::field(
            "minutes",
            format!("Затрачено {m} мин.: укажите от 1 до 1440 минут или оставьте пустым"),
        ));
    }
    if let Some(app) = i.application_id {
        let a = crate::application::get(conn, app)?;
        if i.service_code != "2" {
            return Err(CoreError::field(
                "service_code",
                format!(
                    "Консультация по заявке № {app} — это строка 2 каталога «на основании заявки»: выберите строку 2"
                ),
            ));
        }
        match i.sme_id {
            Some(sme) if sme != a.sme_id => {
                return Err(CoreError::field(
                    "sme_id",
                    format!(
                        "Заявка № {app} подана {} (ИНН {}): консультация по ней записывается этому СМСП",
                        a.sme_name, a.sme_inn
                    ),
                ))
            }
            Some(_) => {}
            None => i.sme_id = Some(a.sme_id),
        }
    }
    match i.sme_id {
        Some(id) => {
            crate::sme::get(conn, id)?;
        }
        None if i.person.is_empty() => {
            return Err(CoreError::field(
                "sme_id",
                "Кто обратился: выберите СМСП из реестра или запишите имя и контакт обратившегося",
            ))
        }
        None => {}
    }
    Ok(i)
}

/// Records a consultation given by the logged-in staff member, with its journal entry.
pub fn add(conn: &mut Db, ctx: &Ctx, input: &ConsultationInput) -> Result<Recorded> {
    let tx = conn.write(ctx, Right::Applications)?;
    let i = validate(&tx, ctx, input)?;
    // SQLite's lower() folds only ASCII: the topics of that day are compared here.
    let same_day: Vec<(i64, String)> = match i.sme_id {
        Some(sme) => tx.query_map(
            "SELECT id, topic FROM consultation WHERE sme_id = ?1 AND date = ?2 ORDER BY id",
            params![sme, i.date],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?,
        None => Vec::new(),
    };
    let topic = i.topic.to_lowercase();
    let duplicate_of = same_day
        .into_iter()
        .find(|(_, t)| t.to_lowercase() == topic)
        .map(|(id, _)| id);
    let id: i64 = tx.query_row(
        "INSERT INTO consultation (date, sme_id, person, service_code, channel, topic, minutes, outcome, application_id,
                                   staff, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
        params![
            i.date,
            i.sme_id,
            i.person,
            i.service_code,
            i.channel.as_str(),
            i.topic,
            i.minutes,
            i.outcome,
            i.application_id,
            ctx.actor,
            ctx.stamp()
        ],
        |r| r.get(0),
    )?;
    let c = get(&tx, id)?;
    audit::record(&tx, ctx, "consultation", id, AuditAction::Create, None, Some(&c))?;
    tx.commit()?;
    Ok(Recorded {
        consultation: c,
        duplicate_of,
    })
}
