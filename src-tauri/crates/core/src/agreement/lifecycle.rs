//! The life of an agreement: signing (the engine must pass), start of service, supplementary agreements (checked by the engine again), termination, and completion when signed acts cover every item — with the application following along and the 3-year export reporting obligation of complex services.

use crate::db::Db;
use crate::params;
use crate::staff::Right;
use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use super::engine::{check_items, check_signing};
use super::store::{schedule, validate_items, validate_schedule, write_terms};
use super::{Agreement, AgreementStatus, AmendmentInput, MoneyTerms, PlannedPayment};
use crate::application::{self, ApplicationStatus, TransitionInput};
use crate::audit::{self, AuditAction, Ctx};
use crate::catalog::{self, ServiceKind};
use crate::cofinancing::{CofinancingCheck, ViolationCode};
use crate::error::{CoreError, ErrorCode, Result};
use crate::money::{self, format_rub};
use crate::{contractor, sme};

/// How many years a complex-service SME reports its export contracts (§5.5).
pub const EXPORT_REPORTING_YEARS: u32 = 3;

fn rule(message: impl Into<String>) -> CoreError {
    CoreError::new(ErrorCode::Rule, message)
}

fn ru(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// The grounds the centre may waive by the head's decision: §6.1.5 («ЦПЭ имеет право отказать»),
/// and too few participants of the event an agreement is given at.
pub fn waivable(v: &crate::cofinancing::Violation, at_event: bool) -> bool {
    v.code == ViolationCode::ThreeServicesNoContract || (v.code == ViolationCode::ParticipantsBelowMinimum && at_event)
}

fn violations_error(number: &str, what: &str, check: &CofinancingCheck) -> CoreError {
    let list = check
        .violations
        .iter()
        .map(|v| format!("— {} ({})", v.message, v.source))
        .collect::<Vec<_>>()
        .join("\n");
    rule(format!("{what} № {number} нельзя подписать:\n{list}"))
}

fn schedule_matches(number: &str, sme_share: Decimal, schedule: &[PlannedPayment]) -> Result<()> {
    let planned = money::kopecks(schedule.iter().map(|p| p.amount).sum());
    if planned != money::kopecks(sme_share) {
        return Err(CoreError::field(
            "payment_schedule",
            format!(
                "Соглашение № {number}: график оплаты доли СМСП на {} не совпадает с долей СМСП {}",
                format_rub(planned),
                format_rub(sme_share)
            ),
        ));
    }
    Ok(())
}

/// Moves the linked application, when it is not already there.
fn follow(conn: &Db, ctx: &Ctx, app: Option<i64>, to: ApplicationStatus, comment: &str) -> Result<()> {
    let Some(app) = app else { return Ok(()) };
    let path: &[ApplicationStatus] = match to {
        ApplicationStatus::AgreementConcluded => &[ApplicationStatus::AgreementConcluded],
        ApplicationStatus::InProgress => &[ApplicationStatus::InProgress],
        _ => &[ApplicationStatus::InProgress, ApplicationStatus::Completed],
    };
    for step in path {
        let now = application::status_of(conn, app)?;
        if now == *step || now.is_final() {
            continue;
        }
        let input = TransitionInput {
            to: *step,
            comment: comment.to_owned(),
            refusal: None,
        };
        application::apply_transition(conn, ctx, app, &input)?;
    }
    Ok(())
}

fn set_status(conn: &Db, ctx: &Ctx, id: i64, status: AgreementStatus) -> Result<()> {
    conn.execute(
        "UPDATE agreement SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, status.as_str(), ctx.stamp()],
    )?;
    Ok(())
}

/// Signs a draft on the day the centre received the original signed by the SME (the start of
/// service). Refused with every violation of the cofinancing engine, and when the schedule does
/// not add up, the application is not «Одобрена», or a contractor lacks its §4.3(3) declaration for
/// the SME dated by the signature.
pub fn sign(conn: &mut Db, ctx: &Ctx, id: i64, signed_on: NaiveDate) -> Result<Agreement> {
    sign_with(conn, ctx, id, signed_on, None)
}

/// Signs a draft the centre had the right to refuse by the head's decision, recorded with its
/// reason: §6.1.5 («ЦПЭ имеет право отказать»), or the minimum of participants of an event that
/// the head decides to hold with fewer; every other violation still refuses.
pub fn sign_by_decision(conn: &mut Db, ctx: &Ctx, id: i64, signed_on: NaiveDate, reason: &str) -> Result<Agreement> {
    if ctx.role != crate::staff::Role::Head {
        return Err(CoreError::new(
            ErrorCode::Forbidden,
            "Подписать вопреки основанию для отказа (п. 6.1.5, число участников мероприятия) может только руководитель центра своим решением",
        ));
    }
    if reason.trim().is_empty() {
        return Err(CoreError::field(
            "decision",
            "Решение руководителя: укажите причину, по которой центр не отказывает",
        ));
    }
    sign_with(conn, ctx, id, signed_on, Some(reason.trim()))
}

fn sign_with(conn: &mut Db, ctx: &Ctx, id: i64, signed_on: NaiveDate, decision: Option<&str>) -> Result<Agreement> {
    let tx = conn.write(ctx, Right::SignAgreement)?;
    let after = sign_in(&tx, ctx, id, signed_on, decision, 0)?;
    tx.commit()?;
    Ok(after)
}

/// Signs the drafts `ids` of one event together, all or none: each counts the others among the
/// event's participants, so a mission of three is signed when the third participant's original
/// arrives («не менее 3 СМСП единовременно», 5.4, 5.6; 10 for 5.9). The refusal lists every
/// agreement that cannot be signed and why.
pub fn sign_together(conn: &mut Db, ctx: &Ctx, ids: &[i64], signed_on: NaiveDate) -> Result<Vec<Agreement>> {
    let tx = conn.write(ctx, Right::SignAgreement)?;
    let mut signed = Vec::with_capacity(ids.len());
    let mut problems = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        // The others of the batch not signed (yet, or refused) count as signing with it.
        let together = (ids.len() - 1 - n + problems.len()) as u32;
        match sign_in(&tx, ctx, *id, signed_on, None, together) {
            Ok(a) => signed.push(a),
            Err(e) => problems.push(e.message),
        }
    }
    if !problems.is_empty() {
        return Err(rule(format!(
            "Соглашения участников не подписаны — ни одно, пока не подписываются все:\n{}",
            problems.join("\n")
        )));
    }
    tx.commit()?;
    Ok(signed)
}

/// The drafts of an event signed together ([`sign_together`]).
pub fn sign_event(conn: &mut Db, ctx: &Ctx, event_id: i64, signed_on: NaiveDate) -> Result<Vec<Agreement>> {
    let e = crate::event::get(conn, event_id)?;
    let ids: Vec<i64> = conn.query_map(
        "SELECT id FROM agreement WHERE event_id = ?1 AND status = 'draft' ORDER BY id",
        [event_id],
        |r| r.get(0),
    )?;
    if ids.is_empty() {
        return Err(rule(format!(
            "У мероприятия «{}» нет проектов соглашений: подписывать нечего",
            e.input.title
        )));
    }
    sign_together(conn, ctx, &ids, signed_on)
}

fn sign_in(
    tx: &Db,
    ctx: &Ctx,
    id: i64,
    signed_on: NaiveDate,
    decision: Option<&str>,
    together: u32,
) -> Result<Agreement> {
    let before = super::get(tx, id)?;
    if before.status != AgreementStatus::Draft {
        return Err(rule(format!(
            "Соглашение № {} уже в статусе «{}»: подписать можно только проект",
            before.number,
            before.status.label()
        )));
    }
    if signed_on < before.date || signed_on > ctx.now.date() {
        return Err(CoreError::field(
            "signed_on",
            format!(
                "Дата получения подписанного оригинала {}: не раньше даты соглашения {} и не позже сегодняшнего дня",
                ru(signed_on),
                ru(before.date)
            ),
        ));
    }
    if let Some(app) = before.application_id {
        let status = application::status_of(tx, app)?;
        if status != ApplicationStatus::Approved {
            return Err(rule(format!(
                "Заявка № {app} в статусе «{}»: соглашение подписывается по одобренной заявке",
                status.label()
            )));
        }
    }
    contractor::check_for_signing(tx, id, &before.sme_name, signed_on)?;
    schedule_matches(&before.number, before.sme_share, &before.payment_schedule)?;
    let check = check_signing(tx, id, ctx.now.date(), together)?;
    if !check.signable {
        let refusable =
            !check.violations.is_empty() && check.violations.iter().all(|v| waivable(v, before.event_id.is_some()));
        match (decision, refusable) {
            (Some(reason), true) => {
                let paragraph = if check
                    .violations
                    .iter()
                    .any(|v| v.code == ViolationCode::ThreeServicesNoContract)
                {
                    "п. 6.1.5".to_owned()
                } else {
                    check.violations[0].source.clone()
                };
                tx.execute(
                    "INSERT INTO agreement_decision (agreement_id, paragraph, reason, decided_by, decided_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![id, paragraph, reason, ctx.actor, ctx.stamp()],
                )?;
            }
            (None, true) => {
                let mut e = violations_error(&before.number, "Соглашение", &check);
                e.message.push_str(if before.event_id.is_some() && !check.violations.iter().any(|v| v.code == ViolationCode::ThreeServicesNoContract) {
                    "\nПодпишите соглашения участников мероприятия вместе (карточка мероприятия, «Подписать соглашения участников»), когда их наберётся достаточно, или руководитель может подписать своим решением, указав причину"
                } else {
                    "\nЭто основание, по которому центр имеет право отказать (п. 6.1 Регламента), а не запрет: руководитель может подписать своим решением, указав причину"
                });
                e.field = Some("decision".into());
                return Err(e);
            }
            _ => return Err(violations_error(&before.number, "Соглашение", &check)),
        }
    }
    tx.execute(
        "UPDATE agreement SET status = 'signed', signed_on = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, signed_on, ctx.stamp()],
    )?;
    // §5.5.4: an individual stand names the protocol of the selection won.
    if let Some(won) = super::engine::won_selection(tx, &before)? {
        tx.execute("UPDATE agreement SET selection = ?2 WHERE id = ?1", params![id, won])?;
    }
    catalog::mark_used(tx, before.catalog_version_id, before.date)?;
    follow(
        tx,
        ctx,
        before.application_id,
        ApplicationStatus::AgreementConcluded,
        &format!("Соглашение № {} подписано {}", before.number, ru(signed_on)),
    )?;
    let after = super::get(tx, id)?;
    audit::record(
        tx,
        ctx,
        "agreement",
        id,
        AuditAction::Update,
        Some(&before),
        Some(&after),
    )?;
    Ok(after)
}

/// Marks a signed agreement «Услуга оказывается» (also done by the first signed act).
pub fn start(conn: &mut Db, ctx: &Ctx, id: i64) -> Result<Agreement> {
    let tx = conn.write(ctx, Right::Agreements)?;
    let after = start_in(&tx, ctx, id)?;
    tx.commit()?;
    Ok(after)
}

pub(crate) fn start_in(conn: &Db, ctx: &Ctx, id: i64) -> Result<Agreement> {
    let before = super::get(conn, id)?;
    match before.status {
        AgreementStatus::Signed => {}
        AgreementStatus::InProgress => return Ok(before),
        s => {
            return Err(rule(format!(
                "Соглашение № {} в статусе «{}»: начать оказание услуги можно только по подписанному соглашению",
                before.number,
                s.label()
            )))
        }
    }
    set_status(conn, ctx, id, AgreementStatus::InProgress)?;
    follow(
        conn,
        ctx,
        before.application_id,
        ApplicationStatus::InProgress,
        &format!("Началось оказание услуги по соглашению № {}", before.number),
    )?;
    let after = super::get(conn, id)?;
    audit::record(
        conn,
        ctx,
        "agreement",
        id,
        AuditAction::Update,
        Some(&before),
        Some(&after),
    )?;
    Ok(after)
}

/// Changes the money terms of a signed agreement by a supplementary agreement, itself checked by
/// the engine (leaving the agreement's old terms out of the SME's history and the budget). No
/// item may fall below what signed acts already cover.
pub fn amend(conn: &mut Db, ctx: &Ctx, id: i64, input: &AmendmentInput) -> Result<Agreement> {
    crate::fields::refuse_bad(input)?;
    let tx = conn.write(ctx, Right::Agreements)?;
    let before = super::get(&tx, id)?;
    if !before.status.is_active() {
        return Err(rule(format!(
            "Соглашение № {} в статусе «{}»: дополнительное соглашение заключается к подписанному действующему соглашению",
            before.number,
            before.status.label()
        )));
    }
    let number = input.number.trim();
    if number.is_empty() {
        return Err(CoreError::field(
            "number",
            "Номер дополнительного соглашения: укажите номер",
        ));
    }
    let mut items = input.items.clone();
    for i in &mut items {
        i.item_code = i.item_code.trim().to_owned();
        i.cost = money::kopecks(i.cost);
        i.sme_share = money::kopecks(i.sme_share);
        i.state_fees = money::kopecks(i.state_fees);
        // An amendment changes money; the quantities stay as agreed unless it states new ones.
        if i.quantity.is_empty() {
            if let Some(old) = before.item(&i.item_code) {
                i.quantity = old.quantity.clone();
            }
        }
    }
    let cat = catalog::get_version(&tx, before.catalog_version_id)?;
    validate_items(&tx, &cat, &before.service_code, &items)?;
    for old in &before.items {
        let new_total = items
            .iter()
            .find(|i| i.item_code == old.item_code)
            .map(|i| i.cost + i.state_fees)
            .unwrap_or_default();
        let acted = crate::act::acted(&tx, id, &old.item_code, false)?;
        if new_total < acted {
            return Err(CoreError::field(
                "items",
                format!(
                    "Услуга {}: по актам уже {} — стоимость не может стать меньше",
                    old.item_code,
                    format_rub(acted)
                ),
            ));
        }
    }
    let schedule = match &input.payment_schedule {
        Some(s) => s
            .iter()
            .map(|p| PlannedPayment {
                due_on: p.due_on,
                amount: money::kopecks(p.amount),
                contract_id: p.contract_id,
            })
            .collect(),
        None => schedule(&tx, id)?,
    };
    validate_schedule(&schedule)?;
    let sme_share: Decimal = items.iter().map(|i| i.sme_share).sum();
    schedule_matches(&before.number, sme_share, &schedule)?;
    let check = check_items(&tx, id, &items, ctx.now.date())?;
    if !check.signable {
        return Err(violations_error(number, "Дополнительное соглашение", &check));
    }
    let terms_before = before.terms();
    let terms_after = MoneyTerms {
        items: items.clone(),
        payment_schedule: schedule.clone(),
    };
    let dup = tx.execute(
        "INSERT INTO agreement_amendment (agreement_id, number, date, before_json, after_json, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
        params![
            id,
            number,
            input.date,
            serde_json::to_string(&terms_before).expect("terms serialise"),
            serde_json::to_string(&terms_after).expect("terms serialise"),
            ctx.stamp()
        ],
    )? == 0;
    if dup {
        return Err(CoreError::field(
            "number",
            format!("Дополнительное соглашение № {number} к этому соглашению уже есть"),
        ));
    }
    write_terms(&tx, id, &items, &schedule)?;
    tx.execute(
        "UPDATE agreement SET updated_at = ?2 WHERE id = ?1",
        params![id, ctx.stamp()],
    )?;
    complete_if_covered(&tx, ctx, id, input.date)?;
    let after = super::get(&tx, id)?;
    audit::record(
        &tx,
        ctx,
        "agreement",
        id,
        AuditAction::Update,
        Some(&before),
        Some(&after),
    )?;
    tx.commit()?;
    Ok(after)
}

fn terminate_in(conn: &Db, ctx: &Ctx, id: i64, on: NaiveDate, reason: &str) -> Result<Agreement> {
    let before = super::get(conn, id)?;
    if matches!(before.status, AgreementStatus::Completed | AgreementStatus::Terminated) {
        return Err(rule(format!(
            "Соглашение № {} уже в статусе «{}»: расторгнуть нельзя",
            before.number,
            before.status.label()
        )));
    }
    if reason.trim().is_empty() {
        return Err(CoreError::field("reason", "Расторжение: укажите причину"));
    }
    conn.execute(
        "UPDATE agreement SET status = 'terminated', terminated_on = ?2, termination_reason = ?3, updated_at = ?4
         WHERE id = ?1",
        params![id, on, reason.trim(), ctx.stamp()],
    )?;
    let after = super::get(conn, id)?;
    audit::record(
        conn,
        ctx,
        "agreement",
        id,
        AuditAction::Update,
        Some(&before),
        Some(&after),
    )?;
    Ok(after)
}

/// Terminates an agreement (draft, signed or in progress) with a reason. The application, if
/// any, is refused separately (or use `application::refuse`, which terminates its agreement).
pub fn terminate(conn: &mut Db, ctx: &Ctx, id: i64, on: NaiveDate, reason: &str) -> Result<Agreement> {
    crate::fields::check_text("termination_reason", reason)?;
    let tx = conn.write(ctx, Right::Agreements)?;
    let after = terminate_in(&tx, ctx, id, on, reason)?;
    tx.commit()?;
    Ok(after)
}

/// Terminates every open agreement of an application that was refused (inside its transaction).
pub(crate) fn terminate_for_application(conn: &Db, ctx: &Ctx, application_id: i64, reason: &str) -> Result<()> {
    let ids: Vec<i64> = conn.query_map(
        "SELECT id FROM agreement WHERE application_id = ?1 AND status IN ('draft', 'signed', 'in_progress')",
        [application_id],
        |r| r.get(0),
    )?;
    for id in ids {
        terminate_in(conn, ctx, id, ctx.now.date(), reason)?;
    }
    Ok(())
}

/// Completes the agreement when its signed acts cover every item (inside the caller's
/// transaction): the application becomes «Завершена», and for a complex service the SME's
/// 3-year export reporting obligation starts on `on`. Returns whether it completed.
pub(crate) fn complete_if_covered(conn: &Db, ctx: &Ctx, id: i64, on: NaiveDate) -> Result<bool> {
    let a = super::get(conn, id)?;
    if !a.status.is_active() || a.items.iter().any(|i| i.acted < i.total) {
        return Ok(false);
    }
    if a.status == AgreementStatus::Signed {
        start_in(conn, ctx, id)?;
    }
    conn.execute(
        "UPDATE agreement SET status = 'completed', completed_on = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, on, ctx.stamp()],
    )?;
    follow(
        conn,
        ctx,
        a.application_id,
        ApplicationStatus::Completed,
        &format!("Услуга по соглашению № {} оказана: акты подписаны", a.number),
    )?;
    let cat = catalog::get_version(conn, a.catalog_version_id)?;
    if cat.service(&a.service_code).map(|s| s.kind) == Some(ServiceKind::Complex) {
        let ends = on
            .checked_add_months(Months::new(12 * EXPORT_REPORTING_YEARS))
            .ok_or_else(|| CoreError::field("signed_on", "Дата акта вне допустимого диапазона"))?;
        sme::get(conn, a.sme_id)?;
        conn.execute(
            "INSERT INTO export_reporting_obligation (agreement_id, sme_id, starts_on, ends_on) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (agreement_id) DO UPDATE SET starts_on = excluded.starts_on, ends_on = excluded.ends_on",
            params![id, a.sme_id, on, ends],
        )?;
    }
    let after = super::get(conn, id)?;
    audit::record(conn, ctx, "agreement", id, AuditAction::Update, Some(&a), Some(&after))?;
    Ok(true)
}
