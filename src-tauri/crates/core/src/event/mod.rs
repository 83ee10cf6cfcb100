//! Events: seminars of catalog rows 4.1.1 and 4.1.2 (export seminars with the РЭЦ Export School, the centre's own seminars, master classes and webinars, held «согласно плану проведения мероприятий», 002 §5.4.1) and the missions, exhibitions and accelerators of 5.4–5.7 and 5.9 whose participants each have an agreement — the record with its dates, format, place, country, organiser and cost, and its status from planned to closed.
//!
//! For a seminar, participants and their attendance are in [`participants`], the printable
//! attendance sheet in [`sheet`]. Attendance, not registration, is the service given: a business
//! that attended a seminar not cancelled counts in KPI 1 and in the registry of support recipients
//! (§2.14) on the event's last day, with the form «образовательная».
//!
//! For a mission, an exhibition or an accelerator the participants are the businesses whose
//! agreements name the event (`agreement.event_id`): «не менее 3 СМСП единовременно» (5.4, 5.6) or
//! 10 (5.9) is counted from the event's signed agreements ([`crate::agreement::sign_together`]),
//! never typed. The year's plan of events (000 §11) is in [`plan`].

pub mod acts;
#[cfg(test)]
mod acts_tests;
pub mod budget;
pub mod bulk;
pub mod participants;
#[cfg(test)]
mod participation_tests;
pub mod plan;
pub mod sheet;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, AuditAction, Ctx};
use crate::db::{Db, Row};
use crate::error::{CoreError, ErrorCode, Result};
use crate::money;
use crate::params;
use crate::sme::shown_name_sql;
use crate::staff::Right;

pub use budget::budget_usage;
pub use participants::{
    add_participant, import_participants, mark_attendance, remove_participant, Participant, ParticipantImport,
};

/// The catalog rows held as seminars with participants (free to the SME, no agreement).
pub const SEMINAR_ROWS: [&str; 2] = ["4.1.1", "4.1.2"];
/// The catalog rows whose participants each have an agreement naming the event.
pub const PARTICIPATION_ROWS: [&str; 5] = ["5.4", "5.5", "5.6", "5.7", "5.9"];

/// A seminar (4.1.x), not an event of cofinanced participation.
pub fn is_seminar(service_code: &str) -> bool {
    SEMINAR_ROWS.contains(&service_code)
}

/// Форма проведения.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EventFormat {
    /// Очный.
    InPerson,
    /// Заочный (вебинар, онлайн).
    Remote,
    /// Очно-заочный.
    Mixed,
}

impl EventFormat {
    pub const ALL: [EventFormat; 3] = [EventFormat::InPerson, EventFormat::Remote, EventFormat::Mixed];

    pub fn as_str(self) -> &'static str {
        match self {
            EventFormat::InPerson => "in_person",
            EventFormat::Remote => "remote",
            EventFormat::Mixed => "mixed",
        }
    }

    pub fn parse(s: &str) -> Option<EventFormat> {
        EventFormat::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            EventFormat::InPerson => "очный",
            EventFormat::Remote => "заочный",
            EventFormat::Mixed => "очно-заочный",
        }
    }
}

/// Статус мероприятия: planned → registration → held → closed, or cancelled before it is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EventStatus {
    Planned,
    Registration,
    Held,
    Closed,
    Cancelled,
}

impl EventStatus {
    pub const ALL: [EventStatus; 5] = [
        EventStatus::Planned,
        EventStatus::Registration,
        EventStatus::Held,
        EventStatus::Closed,
        EventStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Planned => "planned",
            EventStatus::Registration => "registration",
            EventStatus::Held => "held",
            EventStatus::Closed => "closed",
            EventStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<EventStatus> {
        EventStatus::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            EventStatus::Planned => "запланировано",
            EventStatus::Registration => "идёт регистрация",
            EventStatus::Held => "проведено",
            EventStatus::Closed => "закрыто",
            EventStatus::Cancelled => "отменено",
        }
    }

    /// The statuses an event may move to from this one.
    pub fn next(self) -> &'static [EventStatus] {
        match self {
            EventStatus::Planned => &[EventStatus::Registration, EventStatus::Held, EventStatus::Cancelled],
            EventStatus::Registration => &[EventStatus::Held, EventStatus::Cancelled],
            EventStatus::Held => &[EventStatus::Closed],
            EventStatus::Closed | EventStatus::Cancelled => &[],
        }
    }

    /// Participants may still be added, removed and marked.
    pub fn open(self) -> bool {
        !matches!(self, EventStatus::Closed | EventStatus::Cancelled)
    }
}

/// What staff type on the event's form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventInput {
    /// Catalog row: 4.1.1 or 4.1.2.
    pub service_code: String,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub format: EventFormat,
    /// The address, or the link of a webinar.
    #[serde(default)]
    pub place: String,
    /// ОКСМ code of the country of a mission or an exhibition abroad (required for 5.4); empty in Russia.
    #[serde(default)]
    pub country_code: String,
    #[serde(default)]
    pub city: String,
    /// The exhibition's name (5.7).
    #[serde(default)]
    pub exhibition: String,
    /// In the year's plan of events approved by the Export Council (000 §11).
    #[serde(default)]
    pub in_plan: bool,
    /// The centre's contract with the contractor that organises it; `None` when the centre does.
    #[serde(default)]
    pub contract_id: Option<i64>,
    /// What the event costs the centre (free to the participants); `None` when nothing is paid.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub cost: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Event {
    pub id: i64,
    #[serde(flatten)]
    pub input: EventInput,
    pub status: EventStatus,
    /// «ООО «Экспорт-Консалт», договор № 12 от 01.02.2025» or empty when the centre organises it.
    pub organiser: String,
    /// Businesses registered.
    pub registered: u32,
    /// Businesses that attended (distinct SMEs).
    pub attended: u32,
    /// 5.4–5.9: agreements naming the event signed and not terminated.
    pub signed: u32,
    /// 5.4–5.9: agreements naming the event still drafts.
    pub drafts: u32,
    /// The least number of participants its catalog row (or one of its formats) requires, if any.
    pub min_participants: Option<u32>,
    /// Who recorded it.
    pub staff: String,
}

/// Which events to list (soonest last: newest start first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct EventQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Only the events this business registered for.
    pub sme_id: Option<i64>,
    /// At most this many (default 500).
    pub limit: Option<u32>,
}

const COLUMNS: &str = "e.id, e.service_code, e.title, e.starts_on, e.ends_on, e.format, e.place, e.contract_id, e.cost,
     e.status, e.staff,
     coalesce(k.name || ', договор № ' || cc.number || ' от ' || substr(cc.date, 9, 2) || '.' || substr(cc.date, 6, 2) || '.' || substr(cc.date, 1, 4), ''),
     (SELECT count(DISTINCT p.sme_id) FROM event_participant p WHERE p.event_id = e.id),
     (SELECT count(DISTINCT p.sme_id) FROM event_participant p WHERE p.event_id = e.id AND p.attended = 1),
     e.country_code, e.city, e.exhibition, e.in_plan,
     (SELECT count(*) FROM agreement g WHERE g.event_id = e.id AND g.status IN ('signed', 'in_progress', 'completed')),
     (SELECT count(*) FROM agreement g WHERE g.event_id = e.id AND g.status = 'draft')";

const FROM: &str = "FROM event e LEFT JOIN contractor_contract cc ON cc.id = e.contract_id
     LEFT JOIN contractor k ON k.id = cc.contractor_id";

fn from_row(r: &Row) -> Result<Event> {
    let format: String = r.get(5)?;
    let status: String = r.get(9)?;
    let cost: Option<String> = r.get(8)?;
    Ok(Event {
        id: r.get(0)?,
        input: EventInput {
            service_code: r.get(1)?,
            title: r.get(2)?,
            starts_on: r.get(3)?,
            ends_on: r.get(4)?,
            format: EventFormat::parse(&format).unwrap_or(EventFormat::InPerson),
            place: r.get(6)?,
            country_code: r.get(14)?,
            city: r.get(15)?,
            exhibition: r.get(16)?,
            in_plan: r.get::<_, i64>(17)? == 1,
            contract_id: r.get(7)?,
            cost: cost.as_deref().and_then(money::parse_decimal),
        },
        status: EventStatus::parse(&status).unwrap_or(EventStatus::Planned),
        staff: r.get(10)?,
        organiser: r.get(11)?,
        registered: r.get(12)?,
        attended: r.get(13)?,
        signed: r.get(18)?,
        drafts: r.get(19)?,
        min_participants: None,
    })
}

/// The least participants the event needs, from the catalog in force on its first day: its row's,
/// or the largest of the items its participants' agreements name (5.9: formats 1–2 need 10, the
/// partner programme none); before any agreement, the largest of the row and any of its items.
fn with_minimum(conn: &Db, mut e: Event) -> Result<Event> {
    let cat = match crate::catalog::version_for(conn, e.input.starts_on) {
        Ok(c) => c,
        Err(_) => crate::catalog::seed(),
    };
    let named: Vec<String> = conn.query_map(
        "SELECT DISTINCT ai.item_code FROM agreement_item ai JOIN agreement g ON g.id = ai.agreement_id
         WHERE g.event_id = ?1 AND g.status <> 'terminated'",
        [e.id],
        |r| r.get(0),
    )?;
    e.min_participants = cat.service(&e.input.service_code).and_then(|s| {
        s.items
            .iter()
            .filter(|i| named.is_empty() || named.contains(&i.code))
            .filter_map(|i| i.min_participants)
            .chain(s.min_participants)
            .max()
    });
    Ok(e)
}

pub fn get(conn: &Db, id: i64) -> Result<Event> {
    let e = conn
        .query_opt(&format!("SELECT {COLUMNS} {FROM} WHERE e.id = ?1"), [id], from_row)?
        .ok_or_else(|| CoreError::not_found(format!("Мероприятие № {id} не найдено")))?;
    with_minimum(conn, e)
}

pub fn list(conn: &Db, q: &EventQuery) -> Result<Vec<Event>> {
    let rows = conn.query_map(
        &format!(
            "SELECT {COLUMNS} {FROM}
             WHERE (?1 IS NULL OR e.ends_on >= ?1) AND (?2 IS NULL OR e.starts_on <= ?2)
               AND (?3 IS NULL OR EXISTS (SELECT 1 FROM event_participant p WHERE p.event_id = e.id AND p.sme_id = ?3)
                    OR EXISTS (SELECT 1 FROM agreement g WHERE g.event_id = e.id AND g.sme_id = ?3))
             ORDER BY e.starts_on DESC, e.id DESC LIMIT ?4"
        ),
        params![q.from, q.to, q.sme_id, q.limit.unwrap_or(500).min(100_000)],
        from_row,
    )?;
    rows.into_iter().map(|e| with_minimum(conn, e)).collect()
}

fn validate(conn: &Db, input: &EventInput) -> Result<EventInput> {
    let mut i = input.clone();
    i.service_code = i.service_code.trim().to_owned();
    i.title = i.title.trim().to_owned();
    i.place = i.place.trim().to_owned();
    i.city = i.city.trim().to_owned();
    i.exhibition = i.exhibition.trim().to_owned();
    for (field, text) in [
        ("title", &i.title),
        ("place", &i.place),
        ("city", &i.city),
        ("exhibition", &i.exhibition),
    ] {
        crate::fields::check_text(field, text)?;
    }
    let seminar = is_seminar(&i.service_code);
    if !seminar && !PARTICIPATION_ROWS.contains(&i.service_code.as_str()) {
        return Err(CoreError::field(
            "service_code",
            format!(
                "Услуга «{}»: мероприятием проводятся строки 4.1.1 и 4.1.2 (семинары) и 5.4, 5.5, 5.6, 5.7, 5.9 каталога (миссии, выставки, акселераторы) — выберите одну из них",
                i.service_code
            ),
        ));
    }
    i.country_code = if i.country_code.trim().is_empty() {
        String::new()
    } else {
        crate::oksm::validate_country("country_code", "Страна", &i.country_code)?
    };
    if i.service_code == "5.4" && i.country_code.is_empty() {
        return Err(CoreError::field(
            "country_code",
            "Страна: международная бизнес-миссия (5.4) проводится за рубежом — укажите страну",
        ));
    }
    if i.service_code == "5.7" && i.exhibition.is_empty() {
        return Err(CoreError::field(
            "exhibition",
            "Выставка: укажите название выставочно-ярмарочного мероприятия (5.7)",
        ));
    }
    if !seminar && (i.cost.is_some() || i.contract_id.is_some()) {
        return Err(CoreError::field(
            "cost",
            "Стоимость: участие каждого СМСП в миссии, выставке или акселераторе оплачивается по его соглашению с софинансированием — у мероприятия стоимость и договор не указываются",
        ));
    }
    if i.title.is_empty() {
        return Err(CoreError::field(
            "title",
            "Название: укажите тему семинара или мастер-класса",
        ));
    }
    if i.title.chars().count() > 500 {
        return Err(CoreError::field("title", "Название: не длиннее 500 знаков"));
    }
    if i.ends_on < i.starts_on {
        return Err(CoreError::field(
            "ends_on",
            format!(
                "Дата окончания {} раньше даты начала {}: исправьте одну из дат",
                i.ends_on.format("%d.%m.%Y"),
                i.starts_on.format("%d.%m.%Y")
            ),
        ));
    }
    if (i.ends_on - i.starts_on).num_days() > 366 {
        return Err(CoreError::field(
            "ends_on",
            "Дата окончания: мероприятие длится не больше года — проверьте даты",
        ));
    }
    if let Some(cost) = i.cost {
        if cost < Decimal::ZERO {
            return Err(CoreError::field(
                "cost",
                "Стоимость не может быть отрицательной: укажите сумму или оставьте пустым",
            ));
        }
        i.cost = Some(money::check_rub(cost).map_err(|why| CoreError::field("cost", format!("Стоимость: {why}")))?);
    }
    if let Some(id) = i.contract_id {
        crate::contractor::get_contract(conn, id)?;
    }
    Ok(i)
}

/// Records a planned event.
pub fn add(conn: &mut Db, ctx: &Ctx, input: &EventInput) -> Result<Event> {
    let tx = conn.write(ctx, Right::Applications)?;
    let i = validate(&tx, input)?;
    budget::check_budget(&tx, &i, None)?;
    let id: i64 = tx.query_row(
        "INSERT INTO event (service_code, title, starts_on, ends_on, format, place, contract_id, cost, staff, created_at,
                            country_code, city, exhibition, in_plan)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id",
        params![
            i.service_code,
            i.title,
            i.starts_on,
            i.ends_on,
            i.format.as_str(),
            i.place,
            i.contract_id,
            i.cost.map(money::plain),
            ctx.actor,
            ctx.stamp(),
            i.country_code,
            i.city,
            i.exhibition,
            i.in_plan as i64
        ],
        |r| r.get(0),
    )?;
    let e = get(&tx, id)?;
    audit::record(&tx, ctx, "event", id, AuditAction::Create, None, Some(&e.input))?;
    tx.commit()?;
    Ok(e)
}

/// Corrects an event's record while it is not closed or cancelled. Moving the dates of an event
/// that has attendance marked is refused: the attendance happened on the old dates.
pub fn update(conn: &mut Db, ctx: &Ctx, id: i64, input: &EventInput) -> Result<Event> {
    let tx = conn.write(ctx, Right::Applications)?;
    let before = get(&tx, id)?;
    if !before.status.open() {
        return Err(refused(format!(
            "Мероприятие «{}» {}: его запись больше не меняется",
            before.input.title,
            before.status.label()
        )));
    }
    let i = validate(&tx, input)?;
    if i.service_code != before.input.service_code && (before.signed + before.drafts + before.registered) > 0 {
        return Err(CoreError::field(
            "service_code",
            "Услуга: у мероприятия уже есть участники или соглашения — строку каталога изменить нельзя",
        ));
    }
    budget::check_budget(&tx, &i, Some(id))?;
    if before.attended > 0 && (i.starts_on != before.input.starts_on || i.ends_on != before.input.ends_on) {
        return Err(CoreError::field(
            "starts_on",
            "Даты: у мероприятия уже отмечены присутствовавшие — даты проведения изменить нельзя",
        ));
    }
    tx.execute(
        "UPDATE event SET service_code = ?2, title = ?3, starts_on = ?4, ends_on = ?5, format = ?6, place = ?7,
                          contract_id = ?8, cost = ?9, country_code = ?10, city = ?11, exhibition = ?12, in_plan = ?13
         WHERE id = ?1",
        params![
            id,
            i.service_code,
            i.title,
            i.starts_on,
            i.ends_on,
            i.format.as_str(),
            i.place,
            i.contract_id,
            i.cost.map(money::plain),
            i.country_code,
            i.city,
            i.exhibition,
            i.in_plan as i64
        ],
    )?;
    let after = get(&tx, id)?;
    audit::record(
        &tx,
        ctx,
        "event",
        id,
        AuditAction::Update,
        Some(&before.input),
        Some(&after.input),
    )?;
    tx.commit()?;
    Ok(after)
}

/// Moves an event to its next status. «Проведено» only once the event has begun; «закрыто» ends
/// the marking of attendance; «отменено» only before it is held, and only with no one marked present.
pub fn set_status(conn: &mut Db, ctx: &Ctx, id: i64, status: EventStatus) -> Result<Event> {
    let tx = conn.write(ctx, Right::Applications)?;
    let before = get(&tx, id)?;
    if before.status == status {
        return Ok(before);
    }
    if !before.status.next().contains(&status) {
        return Err(refused(format!(
            "Мероприятие «{}» {}: перевести его в статус «{}» нельзя",
            before.input.title,
            before.status.label(),
            status.label()
        )));
    }
    if status == EventStatus::Held && before.input.starts_on > ctx.now.date() {
        return Err(refused(format!(
            "Мероприятие «{}» начнётся {}: отметить его проведённым можно с этого дня",
            before.input.title,
            before.input.starts_on.format("%d.%m.%Y")
        )));
    }
    if status == EventStatus::Cancelled && before.signed > 0 {
        return Err(refused(format!(
            "Мероприятие «{}»: подписано соглашений участников — {}; расторгните их, прежде чем отменять",
            before.input.title, before.signed
        )));
    }
    if status == EventStatus::Cancelled && before.attended > 0 {
        return Err(refused(format!(
            "Мероприятие «{}»: отмечены присутствовавшие ({}) — снимите отметки, прежде чем отменять",
            before.input.title, before.attended
        )));
    }
    tx.execute(
        "UPDATE event SET status = ?2 WHERE id = ?1",
        params![id, status.as_str()],
    )?;
    let after = get(&tx, id)?;
    audit::record(
        &tx,
        ctx,
        "event",
        id,
        AuditAction::Update,
        Some(&serde_json::json!({ "status": before.status })),
        Some(&serde_json::json!({ "status": after.status })),
    )?;
    tx.commit()?;
    Ok(after)
}

/// An agreement of a participant of a mission, exhibition or accelerator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventAgreement {
    pub id: i64,
    pub number: String,
    pub date: NaiveDate,
    pub sme_id: i64,
    pub sme_name: String,
    pub inn: String,
    pub status: crate::agreement::AgreementStatus,
    pub signed_on: Option<NaiveDate>,
}

/// The agreements naming the event, oldest first.
pub fn agreements(conn: &Db, event_id: i64) -> Result<Vec<EventAgreement>> {
    conn.query_map(
        concat!(
            "SELECT g.id, g.number, g.date, g.sme_id, ",
            shown_name_sql!("s"),
            ", s.inn, g.status, g.signed_on
             FROM agreement g JOIN sme s ON s.id = g.sme_id WHERE g.event_id = ?1 ORDER BY g.id"
        ),
        [event_id],
        |r| {
            let status: String = r.get(6)?;
            Ok(EventAgreement {
                id: r.get(0)?,
                number: r.get(1)?,
                date: r.get(2)?,
                sme_id: r.get(3)?,
                sme_name: r.get(4)?,
                inn: r.get(5)?,
                status: crate::agreement::AgreementStatus::parse(&status)
                    .unwrap_or(crate::agreement::AgreementStatus::Draft),
                signed_on: r.get(7)?,
            })
        },
    )
}

/// A change the state of the event does not allow.
pub(crate) fn refused(message: String) -> CoreError {
    CoreError::new(ErrorCode::Rule, message)
}
