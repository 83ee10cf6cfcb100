//! SQL of applications: creation with the checklist of the catalog service, status transitions with their timeline, documents and refusals.

use crate::db::Db;
use crate::params;
use crate::staff::Right;
use chrono::NaiveDate;

use super::{
    check_transition, Application, ApplicationInput, ApplicationStatus, ApplicationSummary, Channel, DocumentCheck,
    Refusal, RefusalReason, StatusEvent, TransitionInput,
};
use crate::audit::{self, AuditAction, Ctx};
use crate::catalog;
use crate::error::{CoreError, ErrorCode, Result};
use crate::sme;

fn bad_status(s: String) -> CoreError {
    CoreError::storage(format!("Неизвестный статус заявки «{s}» в базе данных"))
}

/// The current status of an application (inside the caller's transaction).
pub(crate) fn status_of(conn: &Db, id: i64) -> Result<ApplicationStatus> {
    let s: String = conn
        .query_opt("SELECT status FROM application WHERE id = ?1", [id], |r| r.get(0))?
        .ok_or_else(|| CoreError::not_found(format!("Заявка № {id} не найдена")))?;
    ApplicationStatus::parse(&s).ok_or_else(|| bad_status(s))
}

pub fn get(conn: &Db, id: i64) -> Result<Application> {
    let row = conn
        .query_opt(
            "SELECT a.id, a.sme_id, s.full_name, s.inn, a.service_code, a.received_on, a.channel,
                    a.responsible_staff_id, st.full_name, a.status, a.status_since, a.refusal_code, a.refusal_text
             FROM application a JOIN sme s ON s.id = a.sme_id LEFT JOIN staff st ON st.id = a.responsible_staff_id
             WHERE a.id = ?1",
            [id],
            |r| {
                Ok((
                    (
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ),
                    (
                        r.get::<_, String>(4)?,
                        r.get::<_, NaiveDate>(5)?,
                        r.get::<_, String>(6)?,
                    ),
                    (r.get::<_, Option<i64>>(7)?, r.get::<_, Option<String>>(8)?),
                    (
                        r.get::<_, String>(9)?,
                        r.get::<_, NaiveDate>(10)?,
                        r.get::<_, Option<String>>(11)?,
                        r.get::<_, String>(12)?,
                    ),
                ))
            },
        )?
        .ok_or_else(|| CoreError::not_found(format!("Заявка № {id} не найдена")))?;
    let ((id, sme_id, sme_name, sme_inn), (service_code, received_on, channel), (staff_id, staff_name), st) = row;
    let (status, status_since, refusal_code, refusal_text) = st;
    let item_codes = conn.query_map(
        "SELECT item_code FROM application_item WHERE application_id = ?1 ORDER BY item_code",
        [id],
        |r| r.get(0),
    )?;
    let documents = conn.query_map(
        "SELECT position, name, received_on FROM application_document WHERE application_id = ?1 ORDER BY position",
        [id],
        |r| {
            Ok(DocumentCheck {
                position: r.get(0)?,
                name: r.get(1)?,
                received_on: r.get(2)?,
            })
        },
    )?;
    let raw = conn.query_map("SELECT at, actor, from_status, to_status, comment FROM application_event WHERE application_id = ?1 ORDER BY id", [id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
    let mut timeline = Vec::new();
    for (at, actor, from, to, comment) in raw {
        timeline.push(StatusEvent {
            at,
            actor,
            from: from
                .map(|f| ApplicationStatus::parse(&f).ok_or_else(|| bad_status(f)))
                .transpose()?,
            to: ApplicationStatus::parse(&to).ok_or_else(|| bad_status(to))?,
            comment,
        });
    }
    let refusal = refusal_code
        .and_then(|c| RefusalReason::parse(&c))
        .map(|reason| Refusal {
            reason,
            text: refusal_text,
        });
    Ok(Application {
        id,
        sme_id,
        sme_name,
        sme_inn,
        service_code,
        item_codes,
        received_on,
        channel: Channel::parse(&channel).unwrap_or(Channel::Visit),
        responsible_staff_id: staff_id,
        responsible_staff_name: staff_name,
        status: ApplicationStatus::parse(&status).ok_or_else(|| bad_status(status))?,
        status_since,
        refusal,
        documents,
        timeline,
    })
}

/// Applications, the newest first; `status` narrows the list, `sme_id` to one SME.
pub fn list(conn: &Db, status: Option<ApplicationStatus>, sme_id: Option<i64>) -> Result<Vec<ApplicationSummary>> {
    // Only the filters given are written as conditions, so SQLite can use the status and sme_id
    // indexes (`?1 IS NULL OR a.status = ?1` is answered by scanning every application).
    let rows = conn.query_map(
        &format!(
            "SELECT a.id, a.sme_id, s.full_name, s.inn, a.service_code, a.received_on, a.channel, a.status,
                a.status_since, st.full_name
         FROM application a JOIN sme s ON s.id = a.sme_id LEFT JOIN staff st ON st.id = a.responsible_staff_id
         WHERE {} AND {}
         ORDER BY a.received_on DESC, a.id DESC",
            status.map_or("?1 IS NULL", |_| "a.status = ?1"),
            sme_id.map_or("?2 IS NULL", |_| "a.sme_id = ?2")
        ),
        params![status.map(|s| s.as_str()), sme_id],
        |r| {
            Ok((
                ApplicationSummary {
                    id: r.get(0)?,
                    sme_id: r.get(1)?,
                    sme_name: r.get(2)?,
                    sme_inn: r.get(3)?,
                    service_code: r.get(4)?,
                    received_on: r.get(5)?,
                    channel: Channel::parse(&r.get::<_, String>(6)?).unwrap_or(Channel::Visit),
                    status: ApplicationStatus::New,
                    status_since: r.get(8)?,
                    responsible_staff_name: r.get(9)?,
                },
                r.get::<_, String>(7)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (mut summary, status) = row;
        summary.status = ApplicationStatus::parse(&status).ok_or_else(|| bad_status(status))?;
        out.push(summary);
    }
    Ok(out)
}

fn record_event(
    conn: &Db,
    ctx: &Ctx,
    id: i64,
    from: Option<ApplicationStatus>,
    to: ApplicationStatus,
    comment: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO application_event (application_id, at, actor, from_status, to_status, comment)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id,
            ctx.stamp(),
            ctx.actor,
            from.map(|s| s.as_str()),
            to.as_str(),
            comment.trim()
        ],
    )?;
    Ok(())
}

/// The checked form: the service code, its requested items and the documents it requires.
struct Checked {
    code: String,
    items: Vec<String>,
    documents: Vec<String>,
}

fn checked(tx: &Db, ctx: &Ctx, input: &ApplicationInput) -> Result<Checked> {
    sme::get(tx, input.sme_id).map_err(|e| CoreError::field("sme_id", e.message))?;
    if input.received_on > ctx.now.date() {
        return Err(CoreError::field(
            "received_on",
            format!(
                "Дата поступления {}: не может быть позже сегодняшнего дня",
                input.received_on.format("%d.%m.%Y")
            ),
        ));
    }
    let cat = catalog::version_for(tx, input.received_on)?;
    let code = input.service_code.trim();
    let service = cat.service(code).ok_or_else(|| {
        CoreError::field(
            "service_code",
            format!(
                "Услуги «{code}» нет в каталоге услуг от {}: выберите услугу из каталога",
                cat.effective_from.format("%d.%m.%Y")
            ),
        )
    })?;
    let mut items: Vec<String> = input.item_codes.iter().map(|c| c.trim().to_owned()).collect();
    if items.is_empty() && service.items.len() == 1 {
        items.push(service.items[0].code.clone());
    }
    if items.is_empty() {
        return Err(CoreError::field(
            "item_codes",
            format!("Услуга {code}: выберите запрашиваемые базовые и дополнительные услуги"),
        ));
    }
    for item in &items {
        if service.item(item).is_none() {
            return Err(CoreError::field(
                "item_codes",
                format!("«{item}» не входит в состав услуги {code}: выберите из состава услуги"),
            ));
        }
    }
    items.sort();
    items.dedup();
    if let Some(staff) = input.responsible_staff_id {
        let active: Option<bool> = tx.query_opt("SELECT active FROM staff WHERE id = ?1", [staff], |r| r.get(0))?;
        if active != Some(true) {
            return Err(CoreError::field(
                "responsible_staff_id",
                format!("Ответственный сотрудник № {staff} не найден среди работающих сотрудников"),
            ));
        }
    }
    Ok(Checked {
        code: code.to_owned(),
        items,
        documents: service.documents.clone(),
    })
}

/// Writes the requested items and the checklist; a document already marked received keeps its mark.
fn write_items(tx: &Db, id: i64, c: &Checked) -> Result<()> {
    let kept: Vec<(String, Option<NaiveDate>)> = tx.query_map(
        "SELECT name, received_on FROM application_document WHERE application_id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    tx.execute("DELETE FROM application_item WHERE application_id = ?1", [id])?;
    tx.execute("DELETE FROM application_document WHERE application_id = ?1", [id])?;
    for item in &c.items {
        tx.execute(
            "INSERT INTO application_item (application_id, item_code) VALUES (?1, ?2)",
            params![id, item],
        )?;
    }
    for (i, doc) in c.documents.iter().enumerate() {
        let received = kept.iter().find(|(name, _)| name == doc).and_then(|(_, d)| *d);
        tx.execute(
            "INSERT INTO application_document (application_id, position, name, received_on) VALUES (?1, ?2, ?3, ?4)",
            params![id, i as u32 + 1, doc, received],
        )?;
    }
    Ok(())
}

/// Registers a new application in status «Новая» with the document checklist of its service.
pub fn add(conn: &mut Db, ctx: &Ctx, input: &ApplicationInput) -> Result<Application> {
    let tx = conn.write(ctx, Right::Applications)?;
    let app = add_in(&tx, ctx, input)?;
    tx.commit()?;
    Ok(app)
}

/// [`add`] within the caller's transaction (an event's participant enrolled with its agreement).
pub(crate) fn add_in(tx: &Db, ctx: &Ctx, input: &ApplicationInput) -> Result<Application> {
    crate::fields::refuse_bad(input)?;
    let c = checked(tx, ctx, input)?;
    let status = ApplicationStatus::New;
    let id: i64 = tx.query_row(
        "INSERT INTO application (sme_id, service_code, received_on, channel, responsible_staff_id, status, status_since,
                                  created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?3, ?7, ?7) RETURNING id",
        params![
            input.sme_id,
            c.code,
            input.received_on,
            input.channel.as_str(),
            input.responsible_staff_id,
            status.as_str(),
            ctx.stamp()
        ], |r| r.get(0))?;
    write_items(tx, id, &c)?;
    record_event(tx, ctx, id, None, status, &input.comment)?;
    let app = get(tx, id)?;
    audit::record(tx, ctx, "application", id, AuditAction::Create, None, Some(&app))?;
    Ok(app)
}

/// Corrects an application until an agreement is concluded on it (the SME, service, items,
/// channel, date received, responsible staff). Its status and timeline stay as they are.
pub fn update(conn: &mut Db, ctx: &Ctx, id: i64, input: &ApplicationInput) -> Result<Application> {
    crate::fields::refuse_bad(input)?;
    let tx = conn.write(ctx, Right::Applications)?;
    let before = get(&tx, id)?;
    if before.status.is_final() || before.status.set_by_agreement() {
        return Err(CoreError::new(
            ErrorCode::Rule,
            format!(
                "Заявка № {id} в статусе «{}»: её данные больше не меняются",
                before.status.label()
            ),
        ));
    }
    let c = checked(&tx, ctx, input)?;
    tx.execute(
        "UPDATE application SET sme_id = ?2, service_code = ?3, received_on = ?4, channel = ?5,
                responsible_staff_id = ?6, updated_at = ?7 WHERE id = ?1",
        params![
            id,
            input.sme_id,
            c.code,
            input.received_on,
            input.channel.as_str(),
            input.responsible_staff_id,
            ctx.stamp()
        ],
    )?;
    write_items(&tx, id, &c)?;
    let after = get(&tx, id)?;
    audit::record(
        &tx,
        ctx,
        "application",
        id,
        AuditAction::Update,
        Some(&before),
        Some(&after),
    )?;
    tx.commit()?;
    Ok(after)
}

/// Moves an application inside the caller's transaction, checking the machine and recording the
/// event; the agreement module uses it for the statuses its events set.
pub(crate) fn apply_transition(conn: &Db, ctx: &Ctx, id: i64, input: &TransitionInput) -> Result<Application> {
    let before = get(conn, id)?;
    check_transition(before.status, input.to)?;
    let refusal = match (input.to, &input.refusal) {
        (ApplicationStatus::RefusedByCentre, Some(r)) if !r.text.trim().is_empty() => Some(r),
        (ApplicationStatus::RefusedByCentre, _) => {
            return Err(CoreError::field(
                "refusal",
                "Отказ ЦПЭ: укажите основание (п. 6.1.1–6.1.5) и текст причины отказа",
            ))
        }
        (_, Some(_)) => {
            return Err(CoreError::field(
                "refusal",
                "Основание отказа указывается только при переводе в статус «Отказ ЦПЭ»",
            ))
        }
        (_, None) => None,
    };
    conn.execute(
        "UPDATE application SET status = ?2, status_since = ?3, refusal_code = ?4, refusal_text = ?5, updated_at = ?6
         WHERE id = ?1",
        params![
            id,
            input.to.as_str(),
            ctx.now.date(),
            refusal.map(|r| r.reason.as_str()),
            refusal.map(|r| r.text.trim()).unwrap_or(""),
            ctx.stamp()
        ],
    )?;
    let comment = match refusal {
        Some(r) if input.comment.trim().is_empty() => format!("п. {}: {}", r.reason.as_str(), r.text.trim()),
        _ => input.comment.trim().to_owned(),
    };
    record_event(conn, ctx, id, Some(before.status), input.to, &comment)?;
    let after = get(conn, id)?;
    audit::record(
        conn,
        ctx,
        "application",
        id,
        AuditAction::Update,
        Some(&before),
        Some(&after),
    )?;
    Ok(after)
}

/// A status change made by staff. «Соглашение заключено», «Услуга оказывается» and «Завершена»
/// follow the agreement and its acts and cannot be set by hand; a refusal also terminates the
/// application's agreement that is not yet completed.
pub fn transition(conn: &mut Db, ctx: &Ctx, id: i64, input: &TransitionInput) -> Result<Application> {
    crate::fields::refuse_bad(input)?;
    let tx = conn.write(ctx, Right::Applications)?;
    let from = status_of(&tx, id)?;
    check_transition(from, input.to)?;
    if input.to.set_by_agreement() {
        return Err(CoreError {
            code: ErrorCode::Rule,
            message: format!(
                "Статус «{}» ставится автоматически: при подписании соглашения, начале оказания услуги и подписании актов",
                input.to.label()
            ),
            field: Some("status".to_owned()),
        });
    }
    let app = apply_transition(&tx, ctx, id, input)?;
    if matches!(
        input.to,
        ApplicationStatus::RefusedByCentre | ApplicationStatus::RefusedByApplicant
    ) {
        let reason = match &input.refusal {
            Some(r) => format!("Отказ ЦПЭ, п. {}: {}", r.reason.as_str(), r.text.trim()),
            None => format!("Отказ заявителя. {}", input.comment.trim()).trim().to_owned(),
        };
        crate::agreement::terminate_for_application(&tx, ctx, id, &reason)?;
    }
    tx.commit()?;
    Ok(app)
}

/// Refuses the application (status «Отказ ЦПЭ») with a §6.1 reason and its text.
pub fn refuse(conn: &mut Db, ctx: &Ctx, id: i64, reason: RefusalReason, text: &str) -> Result<Application> {
    transition(
        conn,
        ctx,
        id,
        &TransitionInput {
            to: ApplicationStatus::RefusedByCentre,
            comment: String::new(),
            refusal: Some(Refusal {
                reason,
                text: text.trim().to_owned(),
            }),
        },
    )
}

/// Marks a document of the checklist received on a date, or (`None`) missing.
pub fn set_document(
    conn: &mut Db,
    ctx: &Ctx,
    id: i64,
    position: u32,
    received_on: Option<NaiveDate>,
) -> Result<Application> {
    let tx = conn.write(ctx, Right::Applications)?;
    let before = get(&tx, id)?;
    if before.status.is_final() {
        return Err(CoreError::new(
            ErrorCode::Rule,
            format!(
                "Заявка № {id} закрыта («{}»): документы не меняются",
                before.status.label()
            ),
        ));
    }
    let n = tx.execute(
        "UPDATE application_document SET received_on = ?3 WHERE application_id = ?1 AND position = ?2",
        params![id, position, received_on],
    )?;
    if n == 0 {
        return Err(CoreError::field(
            "position",
            format!("В перечне документов заявки № {id} нет документа № {position}"),
        ));
    }
    let after = get(&tx, id)?;
    audit::record(
        &tx,
        ctx,
        "application",
        id,
        AuditAction::Update,
        Some(&before),
        Some(&after),
    )?;
    tx.commit()?;
    Ok(after)
}
