//! Writing an agreement's terms into their tables — items and the payment schedule, stages, format and event — and the check that an agreement of a row counting participants names its event.

use super::{AgreementInput, AgreementItemInput, PlannedPayment, StageInput};
use crate::catalog::ServiceCatalog;
use crate::cofinancing;
use crate::db::Db;
use crate::error::{CoreError, Result};
use crate::money;
use crate::params;

/// Replaces the items and the schedule of an agreement.
pub(super) fn write_terms(conn: &Db, id: i64, items: &[AgreementItemInput], schedule: &[PlannedPayment]) -> Result<()> {
    let keep: Vec<&str> = items.iter().map(|i| i.item_code.as_str()).collect();
    let existing: Vec<String> = conn.query_map(
        "SELECT item_code FROM agreement_item WHERE agreement_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    for code in existing.iter().filter(|c| !keep.contains(&c.as_str())) {
        conn.execute(
            "DELETE FROM agreement_item WHERE agreement_id = ?1 AND item_code = ?2",
            params![id, code],
        )?;
    }
    for i in items {
        let centre = cofinancing::centre_share(i.cost, i.sme_share, i.state_fees);
        conn.execute(
            "INSERT INTO agreement_item (agreement_id, item_code, cost, sme_share, state_fees, centre_share, contractor_id,
                                         contract_id, quantity_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (agreement_id, item_code) DO UPDATE SET cost = excluded.cost, sme_share = excluded.sme_share,
                state_fees = excluded.state_fees, centre_share = excluded.centre_share,
                contractor_id = excluded.contractor_id, contract_id = excluded.contract_id,
                quantity_json = excluded.quantity_json",
            params![
                id,
                i.item_code,
                money::plain(i.cost),
                money::plain(i.sme_share),
                money::plain(i.state_fees),
                money::plain(centre),
                i.contractor_id,
                i.contract_id,
                serde_json::to_string(&i.quantity).expect("quantities serialise")
            ],
        )?;
    }
    conn.execute("DELETE FROM agreement_payment_plan WHERE agreement_id = ?1", [id])?;
    for (n, p) in schedule.iter().enumerate() {
        if let Some(c) = p
            .contract_id
            .filter(|c| !items.iter().any(|i| i.contract_id == Some(*c)))
        {
            return Err(CoreError::field(
                "payment_schedule",
                format!(
                    "Платёж {}: срок по договору с исполнителем № {c} — такого договора нет среди позиций соглашения; \
                     выберите договор одной из позиций или срок по соглашению",
                    n + 1
                ),
            ));
        }
        conn.execute(
            "INSERT INTO agreement_payment_plan (agreement_id, position, due_on, amount, contract_id)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, n as u32 + 1, p.due_on, money::plain(p.amount), p.contract_id],
        )?;
    }
    Ok(())
}

/// The service's format, the selection won (trimmed; empty is none) and the event.
pub(super) fn write_format(conn: &Db, id: i64, input: &AgreementInput) -> Result<()> {
    let clean = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    for text in [&input.format, &input.selection].into_iter().flatten() {
        crate::fields::check_text("selection", text)?;
    }
    conn.execute(
        "UPDATE agreement SET format = ?2, selection = ?3, event_id = ?4 WHERE id = ?1",
        params![id, clean(&input.format), clean(&input.selection), input.event_id],
    )?;
    Ok(())
}

/// An agreement of a row that counts participants (5.4, 5.6: «не менее 3 СМСП единовременно»; a
/// format of 5.9: 10) names its event — the participants are the event's signed agreements; the
/// event is of the same row, still open, and the SME has no other agreement at it.
pub(super) fn validate_event(conn: &Db, cat: &ServiceCatalog, input: &AgreementInput, id: Option<i64>) -> Result<()> {
    let service = cat.service(&input.service_code);
    let min = service.and_then(|s| {
        s.items
            .iter()
            .filter(|i| input.items.iter().any(|x| x.item_code == i.code))
            .filter_map(|i| i.min_participants)
            .chain(s.min_participants)
            .max()
    });
    let Some(event_id) = input.event_id else {
        return match min {
            Some(min) => Err(CoreError::field(
                "event_id",
                format!(
                    "Мероприятие: услуга {} оказывается не менее чем {min} СМСП одновременно — выберите мероприятие                      (миссию, акселератор), к которому относится соглашение; участники считаются по подписанным соглашениям мероприятия",
                    input.service_code
                ),
            )),
            None => Ok(()),
        };
    };
    let e = crate::event::get(conn, event_id).map_err(|e| CoreError::field("event_id", e.message))?;
    if e.input.service_code != input.service_code {
        return Err(CoreError::field(
            "event_id",
            format!(
                "Мероприятие «{}» проводится по услуге {}, а соглашение — по услуге {}: выберите мероприятие той же услуги",
                e.input.title, e.input.service_code, input.service_code
            ),
        ));
    }
    if !e.status.open() {
        return Err(CoreError::field(
            "event_id",
            format!(
                "Мероприятие «{}» {}: новых участников у него нет",
                e.input.title,
                e.status.label()
            ),
        ));
    }
    let twice: Option<String> = conn.query_opt(
        "SELECT number FROM agreement WHERE event_id = ?1 AND sme_id = ?2 AND status <> 'terminated'
           AND id IS DISTINCT FROM ?3",
        params![event_id, input.sme_id, id],
        |r| r.get(0),
    )?;
    if let Some(number) = twice {
        return Err(CoreError::field(
            "event_id",
            format!(
                "У этого СМСП уже есть соглашение № {number} по мероприятию «{}»",
                e.input.title
            ),
        ));
    }
    Ok(())
}

pub(super) fn write_stages(conn: &Db, id: i64, stages: &[StageInput]) -> Result<()> {
    let acted: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM act WHERE agreement_id = ?1 AND stage_id IS NOT NULL)",
        [id],
        |r| r.get(0),
    )?;
    if acted {
        return Err(CoreError::field(
            "stages",
            "Этапы, по которым составлены акты, не меняются",
        ));
    }
    conn.execute("DELETE FROM agreement_stage WHERE agreement_id = ?1", [id])?;
    for (n, s) in stages.iter().enumerate() {
        conn.execute(
            "INSERT INTO agreement_stage (agreement_id, position, name, starts_on, ends_on) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, n as u32 + 1, s.name.trim(), s.starts_on, s.ends_on],
        )?;
    }
    Ok(())
}
