//! The competitive selection for an individual stand at an exhibition (002 §5.5.4: «в срок до 01 марта текущего года ЦПЭ проводит конкурсный отбор … дополнительный отбор до 01 сентября»): the selection of an exhibition (an event of 5.7) with its criteria and number of places, the businesses' applications and their scores, the decision with its protocol (PDF in [`protocol`]) — and the winners the engine asks for when an individual-stand agreement is signed.

pub mod protocol;
#[cfg(test)]
mod tests;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, AuditAction, Ctx};
use crate::db::{Db, Row};
use crate::error::{CoreError, ErrorCode, Result};
use crate::params;
use crate::sme::shown_name_sql;
use crate::staff::Right;

/// A criterion the centre scores applications by, from 0 to `max_score`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScoreCriterion {
    pub name: String,
    pub max_score: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SelectionInput {
    /// The exhibition: an event of row 5.7.
    pub event_id: i64,
    /// An additional selection (by 1 September) rather than the main one (by 1 March).
    #[serde(default)]
    pub additional: bool,
    pub announced_on: NaiveDate,
    /// The last day applications are taken.
    pub deadline: NaiveDate,
    pub criteria: Vec<ScoreCriterion>,
    /// How many businesses get an individual stand.
    pub places: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Candidate {
    pub id: i64,
    pub sme_id: i64,
    pub sme_name: String,
    pub inn: String,
    pub submitted_on: NaiveDate,
    /// One per criterion, in the criteria's order; empty until scored.
    pub scores: Vec<u32>,
    pub total: u32,
    /// Place in the ranking once decided.
    pub rank: Option<u32>,
    pub winner: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Selection {
    pub id: i64,
    #[serde(flatten)]
    pub input: SelectionInput,
    pub event_title: String,
    pub exhibition: String,
    /// Set once decided.
    pub protocol_number: Option<String>,
    pub decided_on: Option<NaiveDate>,
    /// The day by which the regulation wants it decided (1 March or 1 September of its year).
    pub due_on: NaiveDate,
    pub candidates: Vec<Candidate>,
    pub staff: String,
}

/// 1 March (main) or 1 September (additional) of the year the selection is announced in.
pub fn due_on(announced_on: NaiveDate, additional: bool) -> NaiveDate {
    let month = if additional { 9 } else { 3 };
    NaiveDate::from_ymd_opt(announced_on.year(), month, 1).expect("1 March and 1 September exist")
}

fn refused(message: String) -> CoreError {
    CoreError::new(ErrorCode::Rule, message)
}

fn candidates(conn: &Db, selection_id: i64) -> Result<Vec<Candidate>> {
    conn.query_map(
        concat!(
            "SELECT a.id, a.sme_id, ",
            shown_name_sql!("s"),
            ", s.inn,
                a.submitted_on, a.scores_json, a.rank, a.winner
         FROM selection_application a JOIN sme s ON s.id = a.sme_id
         WHERE a.selection_id = ?1 ORDER BY a.rank IS NULL, a.rank, a.id"
        ),
        [selection_id],
        |r: &Row| {
            let json: String = r.get(5)?;
            let scores: Vec<u32> = serde_json::from_str(&json).unwrap_or_default();
            let winner: i64 = r.get(7)?;
            Ok(Candidate {
                id: r.get(0)?,
                sme_id: r.get(1)?,
                sme_name: r.get(2)?,
                inn: r.get(3)?,
                submitted_on: r.get(4)?,
                total: scores.iter().sum(),
                scores,
                rank: r.get(6)?,
                winner: winner == 1,
            })
        },
    )
}

pub fn get(conn: &Db, id: i64) -> Result<Selection> {
    let s = conn
        .query_opt(
            "SELECT s.id, s.event_id, s.additional, s.announced_on, s.deadline, s.criteria_json, s.places,
                    s.protocol_number, s.decided_on, s.staff, e.title, e.exhibition
             FROM selection s JOIN event e ON e.id = s.event_id WHERE s.id = ?1",
            [id],
            |r| {
                let json: String = r.get(5)?;
                let additional: i64 = r.get(2)?;
                let announced_on: NaiveDate = r.get(3)?;
                Ok(Selection {
                    id: r.get(0)?,
                    input: SelectionInput {
                        event_id: r.get(1)?,
                        additional: additional == 1,
                        announced_on,
                        deadline: r.get(4)?,
                        criteria: serde_json::from_str(&json).unwrap_or_default(),
                        places: r.get(6)?,
                    },
                    protocol_number: r.get(7)?,
                    decided_on: r.get(8)?,
                    staff: r.get(9)?,
                    event_title: r.get(10)?,
                    exhibition: r.get(11)?,
                    due_on: due_on(announced_on, additional == 1),
                    candidates: Vec::new(),
                })
            },
        )?
        .ok_or_else(|| CoreError::not_found(format!("Конкурсный отбор № {id} не найден")))?;
    Ok(Selection {
        candidates: candidates(conn, id)?,
        ..s
    })
}

/// The selections of an exhibition, oldest first.
pub fn for_event(conn: &Db, event_id: i64) -> Result<Vec<Selection>> {
    let ids: Vec<i64> = conn.query_map(
        "SELECT id FROM selection WHERE event_id = ?1 ORDER BY id",
        [event_id],
        |r| r.get(0),
    )?;
    ids.into_iter().map(|id| get(conn, id)).collect()
}

fn validate(conn: &Db, input: &SelectionInput) -> Result<SelectionInput> {
    let mut i = input.clone();
    let e = crate::event::get(conn, i.event_id).map_err(|e| CoreError::field("event_id", e.message))?;
    if e.input.service_code != "5.7" {
        return Err(CoreError::field(
            "event_id",
            format!(
                "Мероприятие «{}» — услуга {}: конкурсный отбор на индивидуальный стенд проводится по выставке (5.7)",
                e.input.title, e.input.service_code
            ),
        ));
    }
    let due = due_on(i.announced_on, i.additional);
    if i.deadline < i.announced_on || i.deadline >= due {
        return Err(CoreError::field(
            "deadline",
            format!(
                "Приём заявок: срок — после объявления ({}) и до {} — {} отбор проводится до {} (п. 5.5.4 регламента)",
                i.announced_on.format("%d.%m.%Y"),
                due.format("%d.%m.%Y"),
                if i.additional {
                    "дополнительный"
                } else {
                    "конкурсный"
                },
                due.format("%d.%m.%Y")
            ),
        ));
    }
    if i.places == 0 || i.places > 1000 {
        return Err(CoreError::field(
            "places",
            "Мест: укажите, сколько СМСП получат индивидуальный стенд (от 1)",
        ));
    }
    for c in &mut i.criteria {
        c.name = c.name.trim().to_owned();
        crate::fields::check_text("criteria", &c.name)?;
        if c.name.is_empty() || c.max_score == 0 || c.max_score > 1000 {
            return Err(CoreError::field(
                "criteria",
                "Критерии: у каждого — название и наибольший балл от 1 до 1000",
            ));
        }
    }
    if i.criteria.is_empty() || i.criteria.len() > 20 {
        return Err(CoreError::field(
            "criteria",
            "Критерии: укажите от 1 до 20 критериев оценки заявок, утверждённых порядком отбора",
        ));
    }
    Ok(i)
}

/// Announces a selection.
pub fn add(conn: &mut Db, ctx: &Ctx, input: &SelectionInput) -> Result<Selection> {
    let tx = conn.write(ctx, Right::Applications)?;
    let i = validate(&tx, input)?;
    let id: i64 = tx.query_row(
        "INSERT INTO selection (event_id, additional, announced_on, deadline, criteria_json, places, staff, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        params![
            i.event_id,
            i.additional as i64,
            i.announced_on,
            i.deadline,
            serde_json::to_string(&i.criteria).expect("criteria serialise"),
            i.places,
            ctx.actor,
            ctx.stamp()
        ],
        |r| r.get(0),
    )?;
    let s = get(&tx, id)?;
    audit::record(&tx, ctx, "selection", id, AuditAction::Create, None, Some(&s.input))?;
    tx.commit()?;
    Ok(s)
}

fn open(conn: &Db, id: i64) -> Result<Selection> {
    let s = get(conn, id)?;
    if let (Some(n), Some(on)) = (&s.protocol_number, s.decided_on) {
        return Err(refused(format!(
            "Отбор по выставке «{}» завершён протоколом № {n} от {}: заявки и баллы больше не меняются",
            s.event_title,
            on.format("%d.%m.%Y")
        )));
    }
    Ok(s)
}

/// Takes a business's application, submitted by the deadline.
pub fn apply(conn: &mut Db, ctx: &Ctx, selection_id: i64, sme_id: i64, submitted_on: NaiveDate) -> Result<Candidate> {
    let tx = conn.write(ctx, Right::Applications)?;
    let s = open(&tx, selection_id)?;
    let sme = crate::sme::get(&tx, sme_id).map_err(|e| CoreError::field("sme_id", e.message))?;
    if submitted_on > s.input.deadline || submitted_on < s.input.announced_on || submitted_on > ctx.now.date() {
        return Err(CoreError::field(
            "submitted_on",
            format!(
                "Дата заявки {}: заявки принимаются с {} по {} (и не позже сегодняшнего дня)",
                submitted_on.format("%d.%m.%Y"),
                s.input.announced_on.format("%d.%m.%Y"),
                s.input.deadline.format("%d.%m.%Y")
            ),
        ));
    }
    let id: Option<i64> = tx.query_opt(
        "INSERT INTO selection_application (selection_id, sme_id, submitted_on) VALUES (?1, ?2, ?3)
         ON CONFLICT (selection_id, sme_id) DO NOTHING RETURNING id",
        params![selection_id, sme_id, submitted_on],
        |r| r.get(0),
    )?;
    let Some(id) = id else {
        return Err(CoreError::new(
            ErrorCode::Duplicate,
            format!("{}: заявка на этот отбор уже принята", sme.input.full_name),
        ));
    };
    let c = candidates(&tx, selection_id)?
        .into_iter()
        .find(|c| c.id == id)
        .expect("just inserted");
    audit::record(
        &tx,
        ctx,
        "selection_application",
        id,
        AuditAction::Create,
        None,
        Some(&c),
    )?;
    tx.commit()?;
    Ok(c)
}

/// Sets the scores of an application, one per criterion, each within the criterion's maximum.
pub fn score(conn: &mut Db, ctx: &Ctx, application_id: i64, scores: &[u32]) -> Result<Candidate> {
    let tx = conn.write(ctx, Right::Applications)?;
    let selection_id: i64 = tx
        .query_opt(
            "SELECT selection_id FROM selection_application WHERE id = ?1",
            [application_id],
            |r| r.get(0),
        )?
        .ok_or_else(|| CoreError::not_found(format!("Заявка на отбор № {application_id} не найдена")))?;
    let s = open(&tx, selection_id)?;
    if scores.len() != s.input.criteria.len() {
        return Err(CoreError::field(
            "scores",
            format!(
                "Баллы: по {} критериям — по одному баллу на критерий",
                s.input.criteria.len()
            ),
        ));
    }
    for (c, v) in s.input.criteria.iter().zip(scores) {
        if *v > c.max_score {
            return Err(CoreError::field(
                "scores",
                format!("Критерий «{}»: балл {v} больше наибольшего {}", c.name, c.max_score),
            ));
        }
    }
    let before = s.candidates.iter().find(|c| c.id == application_id).cloned();
    tx.execute(
        "UPDATE selection_application SET scores_json = ?2 WHERE id = ?1",
        params![application_id, serde_json::to_string(scores).expect("scores serialise")],
    )?;
    let after = candidates(&tx, selection_id)?
        .into_iter()
        .find(|c| c.id == application_id)
        .expect("exists");
    audit::record(
        &tx,
        ctx,
        "selection_application",
        application_id,
        AuditAction::Update,
        before.as_ref(),
        Some(&after),
    )?;
    tx.commit()?;
    Ok(after)
}

/// Decides the selection: ranks the scored applications by their total (an earlier application
/// first on equal totals), makes the first `places` winners and records the protocol. Every
/// application must be scored; the decision is due by 1 March (1 September for an additional one).
pub fn decide(conn: &mut Db, ctx: &Ctx, id: i64, protocol_number: &str, decided_on: NaiveDate) -> Result<Selection> {
    let tx = conn.write(ctx, Right::Applications)?;
    let s = open(&tx, id)?;
    let number = protocol_number.trim();
    crate::fields::check_text("protocol_number", number)?;
    if number.is_empty() {
        return Err(CoreError::field(
            "protocol_number",
            "Протокол: укажите номер протокола отбора",
        ));
    }
    if decided_on < s.input.deadline || decided_on >= s.due_on || decided_on > ctx.now.date() {
        return Err(CoreError::field(
            "decided_on",
            format!(
                "Дата протокола {}: после окончания приёма заявок ({}) и до {} (п. 5.5.4 регламента), не позже сегодняшнего дня",
                decided_on.format("%d.%m.%Y"),
                s.input.deadline.format("%d.%m.%Y"),
                s.due_on.format("%d.%m.%Y")
            ),
        ));
    }
    if s.candidates.is_empty() {
        return Err(refused(format!(
            "Отбор по выставке «{}»: заявок нет — решать нечего",
            s.event_title
        )));
    }
    if let Some(c) = s.candidates.iter().find(|c| c.scores.is_empty()) {
        return Err(refused(format!(
            "{}: заявка не оценена — поставьте баллы по всем критериям",
            c.sme_name
        )));
    }
    let mut ranked = s.candidates.clone();
    ranked.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then(a.submitted_on.cmp(&b.submitted_on))
            .then(a.id.cmp(&b.id))
    });
    for (n, c) in ranked.iter().enumerate() {
        tx.execute(
            "UPDATE selection_application SET rank = ?2, winner = ?3 WHERE id = ?1",
            params![c.id, n as u32 + 1, (n < s.input.places as usize) as i64],
        )?;
    }
    tx.execute(
        "UPDATE selection SET protocol_number = ?2, decided_on = ?3 WHERE id = ?1",
        params![id, number, decided_on],
    )?;
    let after = get(&tx, id)?;
    audit::record(
        &tx,
        ctx,
        "selection",
        id,
        AuditAction::Update,
        Some(&serde_json::json!({ "protocol_number": null })),
        Some(&serde_json::json!({ "protocol_number": number, "decided_on": decided_on })),
    )?;
    tx.commit()?;
    Ok(after)
}

/// The protocol a business won a selection of an exhibition by («протокол № 3 от 25.02.2025»).
pub fn won(conn: &Db, event_id: i64, sme_id: i64) -> Result<Option<String>> {
    let row: Option<(String, NaiveDate)> = conn.query_opt(
        "SELECT s.protocol_number, s.decided_on FROM selection s
         JOIN selection_application a ON a.selection_id = s.id
         WHERE s.event_id = ?1 AND a.sme_id = ?2 AND a.winner = 1 AND s.decided_on IS NOT NULL
         ORDER BY s.decided_on DESC LIMIT 1",
        params![event_id, sme_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(row.map(|(n, on)| format!("протокол конкурсного отбора № {n} от {}", on.format("%d.%m.%Y"))))
}
