//! The participants of an event: businesses of the registry (and the person who comes from each), registered before and marked present on the day, added one by one or from a list exported by a registration form (XLSX/CSV) with an error per row that cannot be taken.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{get, refused, Event, EventStatus};
use crate::audit::{self, AuditAction, Ctx};
use crate::db::{Db, Row};
use crate::error::{CoreError, Result};
use crate::params;
use crate::sme::import_table::{RowError, SourceTable};
use crate::sme::shown_name_sql;
use crate::staff::Right;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Participant {
    pub id: i64,
    pub event_id: i64,
    pub sme_id: i64,
    pub sme_name: String,
    pub inn: String,
    /// Who comes from the business (ФИО); may be empty until known.
    pub attendee: String,
    pub registered_on: NaiveDate,
    pub attended: bool,
}

/// What a list of participants brought.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ParticipantImport {
    /// Data rows in the file.
    pub rows: u32,
    /// Participants registered from the file.
    pub added: u32,
    /// Rows naming a participant already registered (left as they were).
    pub already: u32,
    /// Participants marked present from the file's «Присутствовал» column.
    pub marked: u32,
    /// The rows that could not be taken, each with what to do; the others are saved.
    pub errors: Vec<RowError>,
}

const COLUMNS: &str = concat!(
    "p.id, p.event_id, p.sme_id, ",
    shown_name_sql!("s"),
    ", s.inn, p.person, p.registered_on, p.attended"
);

fn from_row(r: &Row) -> Result<Participant> {
    let attended: i64 = r.get(7)?;
    Ok(Participant {
        id: r.get(0)?,
        event_id: r.get(1)?,
        sme_id: r.get(2)?,
        sme_name: r.get(3)?,
        inn: r.get(4)?,
        attendee: r.get(5)?,
        registered_on: r.get(6)?,
        attended: attended == 1,
    })
}

/// The participants of an event in the order they registered.
pub fn participants(conn: &Db, event_id: i64) -> Result<Vec<Participant>> {
    conn.query_map(
        &format!(
            "SELECT {COLUMNS} FROM event_participant p JOIN sme s ON s.id = p.sme_id
             WHERE p.event_id = ?1 ORDER BY p.id"
        ),
        [event_id],
        from_row,
    )
}

fn participant(conn: &Db, id: i64) -> Result<Participant> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM event_participant p JOIN sme s ON s.id = p.sme_id WHERE p.id = ?1"),
        [id],
        from_row,
    )?
    .ok_or_else(|| CoreError::not_found(format!("Участник № {id} не найден")))
}

fn open_event(conn: &Db, event_id: i64) -> Result<Event> {
    let e = get(conn, event_id)?;
    if !super::is_seminar(&e.input.service_code) {
        return Err(refused(format!(
            "Мероприятие «{}» (услуга {}): участники — СМСП, с которыми заключены соглашения по этому мероприятию; оформите соглашение участника",
            e.input.title, e.input.service_code
        )));
    }
    if !e.status.open() {
        return Err(refused(format!(
            "Мероприятие «{}» {}: список участников больше не меняется",
            e.input.title,
            e.status.label()
        )));
    }
    Ok(e)
}

fn clean_person(person: &str) -> Result<String> {
    let person = person.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::fields::check_text("attendee", &person)?;
    if person.chars().count() > 200 {
        return Err(CoreError::field("attendee", "Участник: ФИО не длиннее 200 знаков"));
    }
    Ok(person)
}

fn insert(conn: &Db, ctx: &Ctx, event_id: i64, sme_id: i64, person: &str) -> Result<Option<Participant>> {
    let id: Option<i64> = conn.query_opt(
        "INSERT INTO event_participant (event_id, sme_id, person, registered_on) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (event_id, sme_id, person) DO NOTHING RETURNING id",
        params![event_id, sme_id, person, ctx.now.date()],
        |r| r.get(0),
    )?;
    let Some(id) = id else { return Ok(None) };
    let p = participant(conn, id)?;
    audit::record(conn, ctx, "event_participant", id, AuditAction::Create, None, Some(&p))?;
    Ok(Some(p))
}

/// Registers a business of the registry (and the person who comes from it) for an event.
pub fn add_participant(conn: &mut Db, ctx: &Ctx, event_id: i64, sme_id: i64, person: &str) -> Result<Participant> {
    let tx = conn.write(ctx, Right::Applications)?;
    let e = open_event(&tx, event_id)?;
    let sme = crate::sme::get(&tx, sme_id)?;
    let person = clean_person(person)?;
    let Some(p) = insert(&tx, ctx, event_id, sme_id, &person)? else {
        return Err(CoreError::new(
            crate::error::ErrorCode::Duplicate,
            format!(
                "{}{} уже в списке участников мероприятия «{}»",
                sme.input.shown_name(),
                if person.is_empty() {
                    String::new()
                } else {
                    format!(" ({person})")
                },
                e.input.title
            ),
        ));
    };
    tx.commit()?;
    Ok(p)
}

/// Takes a participant off the list (registered by mistake, or declined). One marked present is
/// kept: unmark them first, so the attendance of a held event is never lost by a slip.
pub fn remove_participant(conn: &mut Db, ctx: &Ctx, participant_id: i64) -> Result<()> {
    let tx = conn.write(ctx, Right::Applications)?;
    let p = participant(&tx, participant_id)?;
    open_event(&tx, p.event_id)?;
    if p.attended {
        return Err(refused(format!(
            "{}: отмечен как присутствовавший — снимите отметку, чтобы убрать из списка",
            p.sme_name
        )));
    }
    tx.execute("DELETE FROM event_participant WHERE id = ?1", [participant_id])?;
    audit::record(
        &tx,
        ctx,
        "event_participant",
        participant_id,
        AuditAction::Delete,
        Some(&p),
        None,
    )?;
    tx.commit()?;
    Ok(())
}

fn mark(conn: &Db, ctx: &Ctx, e: &Event, p: &Participant, attended: bool) -> Result<Participant> {
    if attended && e.input.starts_on > ctx.now.date() {
        return Err(refused(format!(
            "Мероприятие «{}» начнётся {}: присутствие отмечается с этого дня",
            e.input.title,
            e.input.starts_on.format("%d.%m.%Y")
        )));
    }
    conn.execute(
        "UPDATE event_participant SET attended = ?2 WHERE id = ?1",
        params![p.id, attended as i64],
    )?;
    let after = participant(conn, p.id)?;
    audit::record(
        conn,
        ctx,
        "event_participant",
        p.id,
        AuditAction::Update,
        Some(p),
        Some(&after),
    )?;
    // Marking the first participant present on the day tells that the event took place.
    if attended && matches!(e.status, EventStatus::Planned | EventStatus::Registration) {
        conn.execute("UPDATE event SET status = 'held' WHERE id = ?1", [e.id])?;
        audit::record(
            conn,
            ctx,
            "event",
            e.id,
            AuditAction::Update,
            Some(&serde_json::json!({ "status": e.status })),
            Some(&serde_json::json!({ "status": EventStatus::Held })),
        )?;
    }
    Ok(after)
}

/// Marks a participant present (or not) on the day. The first mark makes a planned event «проведено».
pub fn mark_attendance(conn: &mut Db, ctx: &Ctx, participant_id: i64, attended: bool) -> Result<Participant> {
    let tx = conn.write(ctx, Right::Applications)?;
    let p = participant(&tx, participant_id)?;
    let e = open_event(&tx, p.event_id)?;
    if p.attended == attended {
        return Ok(p);
    }
    let after = mark(&tx, ctx, &e, &p, attended)?;
    tx.commit()?;
    Ok(after)
}

/// The columns of a list of participants, found by their headers.
struct ListColumns {
    inn: usize,
    person: Option<usize>,
    attended: Option<usize>,
}

fn columns(headers: &[String]) -> Result<ListColumns> {
    let find = |words: &[&str]| {
        headers.iter().position(|h| {
            let h = h.to_lowercase();
            words.iter().any(|w| h.contains(w))
        })
    };
    let inn = find(&["инн"]).ok_or_else(|| {
        CoreError::field(
            "file",
            "В файле нет колонки «ИНН»: участник находится в реестре по ИНН организации или ИП — добавьте колонку с заголовком «ИНН»",
        )
    })?;
    Ok(ListColumns {
        inn,
        person: find(&["фио", "участник", "представитель", "слушатель"]),
        attended: find(&["присутств", "посетил", "явка"]),
    })
}

fn yes(cell: &str) -> Option<bool> {
    match cell.trim().to_lowercase().as_str() {
        "да" | "+" | "1" | "yes" | "присутствовал" | "присутствовала" | "был" | "была" => {
            Some(true)
        }
        "" | "нет" | "-" | "0" | "no" => Some(false),
        _ => None,
    }
}

/// Registers the participants of a list (a header row with «ИНН», optionally «ФИО участника» and
/// «Присутствовал»): each valid row is saved, each other one comes back with its row number and what
/// to do. A participant already on the list is left as it was (and marked present when the file says so).
pub fn import_participants(conn: &mut Db, ctx: &Ctx, event_id: i64, table: &SourceTable) -> Result<ParticipantImport> {
    let tx = conn.write(ctx, Right::Applications)?;
    let e = open_event(&tx, event_id)?;
    let cols = columns(&table.headers)?;
    let header = |i: usize| table.headers.get(i).cloned();
    let mut out = ParticipantImport {
        rows: table.rows.len() as u32,
        ..Default::default()
    };
    for row in &table.rows {
        let cell = |i: usize| row.cells.get(i).map(|c| c.trim()).unwrap_or("");
        let error = |field: &str, col: usize, message: String| RowError {
            row: row.number,
            field: field.into(),
            column: header(col),
            value: cell(col).to_owned(),
            message,
        };
        let inn: String = cell(cols.inn).chars().filter(|c| !c.is_whitespace()).collect();
        if let Err(why) = crate::ident::validate_inn(&inn) {
            out.errors.push(error("inn", cols.inn, why));
            continue;
        }
        let Some(sme) = crate::sme::get_by_inn(&tx, &inn)? else {
            out.errors.push(error(
                "inn",
                cols.inn,
                format!("ИНН {inn} нет в реестре центра: добавьте СМСП в реестр и загрузите список снова"),
            ));
            continue;
        };
        let person = match cols.person.map(|c| clean_person(cell(c))).transpose() {
            Ok(p) => p.unwrap_or_default(),
            Err(e) => {
                out.errors.push(error("attendee", cols.person.unwrap_or(0), e.message));
                continue;
            }
        };
        let present = match cols.attended.map(|c| yes(cell(c))) {
            None => false,
            Some(Some(v)) => v,
            Some(None) => {
                let c = cols.attended.unwrap_or(0);
                out.errors.push(error(
                    "attended",
                    c,
                    "Присутствовал: напишите «да» или «нет» (или оставьте пустым)".into(),
                ));
                continue;
            }
        };
        let p = match insert(&tx, ctx, event_id, sme.id, &person)? {
            Some(p) => {
                out.added += 1;
                p
            }
            None => {
                out.already += 1;
                tx.query_row(
                    &format!(
                        "SELECT {COLUMNS} FROM event_participant p JOIN sme s ON s.id = p.sme_id
                         WHERE p.event_id = ?1 AND p.sme_id = ?2 AND p.person = ?3"
                    ),
                    params![event_id, sme.id, person],
                    from_row,
                )?
            }
        };
        if present && !p.attended {
            let e = get(&tx, e.id)?;
            if let Err(why) = mark(&tx, ctx, &e, &p, true) {
                out.errors
                    .push(error("attended", cols.attended.unwrap_or(0), why.message));
                continue;
            }
            out.marked += 1;
        }
    }
    tx.commit()?;
    Ok(out)
}
