//! Personal data of persons in the registry (152-ФЗ): the consent an agreement needs, a person's request to stop processing, and the erasure once the three years of keeping the centre's records (§7.3 of the regulation) have passed.
//!
//! Reading chosen: consent (ст. 9) is required of ИП, глав КФХ and самозанятых before their record
//! is used in an agreement — on or before the agreement's date. After a request to stop processing
//! (ст. 21) no new agreement is made, and the personal fields are erased when §7.3 allows: three
//! years after the last service (the latest of the SME's applications, agreements and acts). The
//! name and INN stay while the SME has agreements (they are in signed accounting documents the
//! centre must keep); without agreements the name is replaced too. The journal's earlier entries
//! of the SME lose the erased values; the erasure itself is recorded without them.

use chrono::{Months, NaiveDate};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use super::{store, Sme};
use crate::audit::{self, AuditAction, Ctx};
use crate::db::Db;
use crate::error::{CoreError, ErrorCode, Result};
use crate::params;
use crate::staff::Right;

/// Years the centre keeps documentation and applications after a service (§7.3).
pub const RETENTION_YEARS: u32 = 3;

/// What the SME card shows about a person's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PersonalDataStatus {
    /// ИП, глава КФХ or самозанятый: the record is a person's data.
    pub is_person: bool,
    pub consent_on: Option<NaiveDate>,
    /// The person asked to stop processing (no new agreements from then on).
    pub withdrawn_on: Option<NaiveDate>,
    pub erased_on: Option<NaiveDate>,
    /// The latest application, agreement or act of the SME.
    pub last_service_on: Option<NaiveDate>,
    /// From this day §7.3 no longer keeps the data.
    pub erasable_from: Option<NaiveDate>,
    /// Erasure is possible today.
    pub can_erase: bool,
    /// In words: what the centre may do now and why.
    pub explanation: String,
}

fn ru(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn request(conn: &Db, id: i64) -> Result<(Option<NaiveDate>, Option<NaiveDate>)> {
    Ok(conn
        .query_opt(
            "SELECT withdrawn_on, erased_on FROM sme_personal_data WHERE sme_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .unwrap_or((None, None)))
}

fn last_service(conn: &Db, id: i64) -> Result<Option<NaiveDate>> {
    conn.query_row(
        "SELECT max(d) FROM (
             SELECT max(received_on) AS d FROM application WHERE sme_id = ?1
             UNION ALL SELECT max(date) FROM agreement WHERE sme_id = ?1
             UNION ALL SELECT max(act.date) FROM act JOIN agreement g ON g.id = act.agreement_id WHERE g.sme_id = ?1) AS dates",
        [id],
        |r| r.get(0),
    )
}

/// The state of a person's data as of `today`.
pub fn status(conn: &Db, id: i64, today: NaiveDate) -> Result<PersonalDataStatus> {
    let sme = store::get(conn, id)?;
    let (withdrawn_on, erased_on) = request(conn, id)?;
    let last_service_on = last_service(conn, id)?;
    let erasable_from = last_service_on.map(|d| d + Months::new(12 * RETENTION_YEARS));
    let kept_until = erasable_from.filter(|d| *d > today);
    let can_erase = withdrawn_on.is_some() && erased_on.is_none() && kept_until.is_none();
    let explanation = match (erased_on, withdrawn_on, kept_until) {
        (Some(on), _, _) => format!("Персональные данные удалены {} по запросу субъекта", ru(on)),
        (None, Some(w), Some(until)) => format!(
            "Запрос на прекращение обработки от {}. Удалить данные можно с {}: по п. 7.3 Регламента документы и заявки хранятся три года с даты оказания услуги (последняя — {}). Новые соглашения не заключаются",
            ru(w),
            ru(until),
            ru(last_service_on.unwrap_or(until))
        ),
        (None, Some(w), None) => format!(
            "Запрос на прекращение обработки от {}: срок хранения по п. 7.3 Регламента истёк — данные можно удалить",
            ru(w)
        ),
        (None, None, _) if !sme.input.kind.is_person() => {
            "Организация: согласие на обработку персональных данных не требуется".into()
        }
        (None, None, _) => match sme.input.pd_consent_on {
            Some(d) => format!("Согласие на обработку персональных данных получено {}", ru(d)),
            None => "Согласия на обработку персональных данных нет: без него соглашение не заключается (ст. 9 Федерального закона № 152-ФЗ)".into(),
        },
    };
    Ok(PersonalDataStatus {
        is_person: sme.input.kind.is_person(),
        consent_on: sme.input.pd_consent_on,
        withdrawn_on,
        erased_on,
        last_service_on,
        erasable_from,
        can_erase,
        explanation,
    })
}

/// Why this SME's record may not be used in an agreement dated `on`, if so: a person without
/// consent (or with consent given after that day), or who asked to stop processing.
pub fn agreement_refusal(conn: &Db, sme: &Sme, on: NaiveDate) -> Result<Option<String>> {
    let name = &sme.input.full_name;
    if let (Some(w), _) = request(conn, sme.id)? {
        return Ok(Some(format!(
            "«{name}» {} попросил прекратить обработку персональных данных (ст. 21 Федерального закона № 152-ФЗ): новое соглашение заключить нельзя",
            ru(w)
        )));
    }
    if !sme.input.kind.is_person() {
        return Ok(None);
    }
    Ok(match sme.input.pd_consent_on {
        None => Some(format!(
            "«{name}»: нет даты согласия на обработку персональных данных (ст. 9 Федерального закона № 152-ФЗ). Получите согласие и укажите его дату в карточке СМСП"
        )),
        Some(d) if d > on => Some(format!(
            "«{name}»: согласие на обработку персональных данных получено {}, позже даты соглашения {}",
            ru(d),
            ru(on)
        )),
        Some(_) => None,
    })
}

/// Records a person's request to stop processing their data, received on `on`.
pub fn withdraw(conn: &mut Db, ctx: &Ctx, id: i64, on: NaiveDate) -> Result<PersonalDataStatus> {
    let tx = conn.write(ctx, Right::Registry)?;
    let sme = store::get(&tx, id)?;
    if on > ctx.now.date() {
        return Err(CoreError::field(
            "withdrawn_on",
            "Дата запроса: ещё не наступила — проверьте год",
        ));
    }
    if request(&tx, id)?.0.is_some() {
        return Err(CoreError::new(
            ErrorCode::Rule,
            format!("Запрос «{}» уже записан", sme.input.full_name),
        ));
    }
    tx.execute(
        "INSERT INTO sme_personal_data (sme_id, withdrawn_on) VALUES (?1, ?2)",
        params![id, on],
    )?;
    let details = serde_json::json!({ "pd_withdrawn_on": on });
    audit::record(&tx, ctx, "sme", id, AuditAction::Update, None, Some(&details))?;
    let s = status(&tx, id, ctx.now.date())?;
    tx.commit()?;
    Ok(s)
}

pub(crate) const ERASED: &str = "удалено (152-ФЗ)";

/// Erases the personal fields of a person who asked to stop processing, once §7.3 allows it; the
/// same fields in the SME's earlier journal entries are erased too.
pub fn erase(conn: &mut Db, ctx: &Ctx, id: i64) -> Result<PersonalDataStatus> {
    let tx = conn.write(ctx, Right::Registry)?;
    let before = status(&tx, id, ctx.now.date())?;
    if before.withdrawn_on.is_none() {
        return Err(CoreError::new(
            ErrorCode::Rule,
            "Удаляются данные только по запросу субъекта: сначала запишите его запрос на прекращение обработки",
        ));
    }
    if !before.can_erase {
        return Err(CoreError::new(ErrorCode::Rule, before.explanation));
    }
    let sme = store::get(&tx, id)?;
    let has_agreements: bool = tx.query_row("SELECT count(*) > 0 FROM agreement WHERE sme_id = ?1", [id], |r| {
        r.get(0)
    })?;
    let mut input = sme.input.clone();
    let mut erased = vec!["contact_person", "phone", "email", "notes"];
    input.contact_person.clear();
    input.phone.clear();
    input.email.clear();
    input.notes.clear();
    if input.kind.is_person() {
        input.legal_address.clear();
        input.head_name.clear();
        erased.extend(["legal_address", "head_name"]);
        if !has_agreements {
            input.full_name = format!("Субъект персональных данных № {id}");
            input.short_name.clear();
            input.last_name.clear();
            input.first_name.clear();
            input.patronymic.clear();
            erased.extend(["full_name", "short_name", "last_name", "first_name", "patronymic"]);
        }
    }
    store::rewrite(&tx, ctx, id, &input)?;
    tx.execute(
        "UPDATE sme_personal_data SET erased_on = ?1 WHERE sme_id = ?2",
        params![ctx.now.date(), id],
    )?;
    scrub_journal(&tx, id, &erased)?;
    let details = serde_json::json!({ "pd_erased_on": ctx.now.date(), "erased_fields": erased.join(", ") });
    audit::record(&tx, ctx, "sme", id, AuditAction::Update, None, Some(&details))?;
    let s = status(&tx, id, ctx.now.date())?;
    tx.commit()?;
    Ok(s)
}

/// Replaces the erased fields' values in the SME's own journal entries. On the centre's server
/// no role may change the journal: its function `cpe_scrub_audit` (`db/roles.rs`) does the same
/// there, only for a business whose erasure is recorded.
fn scrub_journal(conn: &Db, id: i64, fields: &[&str]) -> Result<()> {
    if conn.engine() == crate::db::Engine::Postgres {
        conn.execute(
            "SELECT cpe_scrub_audit(?1, ?2)",
            params![id.to_string(), fields.join(",")],
        )?;
        return Ok(());
    }
    let rows: Vec<(i64, Option<String>, Option<String>)> = conn.query_map(
        "SELECT id, before_json, after_json FROM audit_log WHERE entity = 'sme' AND entity_id = ?1",
        [id.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let scrub = |json: Option<String>| {
        json.map(|text| match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(mut map)) => {
                for f in fields {
                    if let Some(v) = map.get_mut(*f) {
                        if !v.is_null() && v.as_str() != Some("") {
                            *v = Value::String(ERASED.into());
                        }
                    }
                }
                Value::Object(map).to_string()
            }
            _ => text,
        })
    };
    for (entry, before, after) in rows {
        conn.execute(
            "UPDATE audit_log SET before_json = ?1, after_json = ?2 WHERE id = ?3",
            params![scrub(before), scrub(after), entry],
        )?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "personal_data_tests.rs"]
mod tests;
