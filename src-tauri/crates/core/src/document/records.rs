//! Records → documents: an agreement, an act, a refused application or an SME's history read from the database and turned into the printable `AgreementDoc`, `ActDoc`, `RefusalDoc` and `ExtractDoc` with the centre's requisites from the settings.

use crate::db::Db;
use crate::params;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::acts::{ActDoc, ActKind};
use super::agreement::AgreementDoc;
use super::extract::{ExtractDoc, ExtractRow};
use super::items::ItemLine;
use super::parties::SmeParty;
use super::refusal::{RefusalDoc, RefusalReason};
use crate::agreement::{self, Agreement, AgreementStatus};
use crate::application::{self, ApplicationStatus};
use crate::catalog::{self, ItemRole, ServiceCatalog, ServiceKind};
use crate::error::{CoreError, Result};
use crate::sme::{self, Sme, SmeKind};
use crate::{act, centre};

/// Working days the business has to pay its share when the agreement has no payment schedule.
pub const DEFAULT_PAYMENT_DAYS: u32 = 10;

/// The business as documents name it, from its registry card.
pub fn sme_party(s: &Sme) -> SmeParty {
    let i = &s.input;
    let person = i.kind.is_person();
    let person_name = [i.last_name.as_str(), i.first_name.as_str(), i.patronymic.as_str()]
        .iter()
        .filter(|p| !p.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let (position, name, basis) = match i.kind {
        SmeKind::LegalEntity => (
            if i.head_position.trim().is_empty() {
                "руководитель".to_owned()
            } else {
                i.head_position.clone()
            },
            i.head_name.clone(),
            "Устава".to_owned(),
        ),
        SmeKind::SoleProprietor => (
            "индивидуальный предприниматель".to_owned(),
            person_name.clone(),
            "листа записи ЕГРИП".to_owned(),
        ),
        SmeKind::FarmHead => (
            "глава крестьянского (фермерского) хозяйства".to_owned(),
            person_name.clone(),
            "листа записи ЕГРИП".to_owned(),
        ),
        SmeKind::SelfEmployed => (
            "физическое лицо — плательщик НПД".to_owned(),
            person_name.clone(),
            "справки о постановке на учёт".to_owned(),
        ),
    };
    let name = if name.trim().is_empty() && person {
        i.full_name.clone()
    } else {
        name
    };
    SmeParty {
        full_name: i.full_name.clone(),
        short_name: i.shown_name().to_owned(),
        inn: i.inn.clone(),
        kpp: i.kpp.clone(),
        ogrn: i.ogrn.clone(),
        address: i.legal_address.clone(),
        phone: i.phone.clone(),
        email: i.email.clone(),
        signer_position: position,
        signer_name: name,
        signer_basis: basis,
        ..SmeParty::default()
    }
}

/// An agreement by its id or, when `key` is not a number or no id matches, by its number («1/2025-С»).
pub fn find_agreement(conn: &Db, key: &str) -> Result<i64> {
    let key = key.trim();
    let by_number: Option<i64> = conn.query_opt("SELECT id FROM agreement WHERE number = ?1", [key], |r| r.get(0))?;
    if let Some(id) = by_number {
        return Ok(id);
    }
    if let Ok(id) = key.parse::<i64>() {
        let exists: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM agreement WHERE id = ?1)", [id], |r| {
            r.get(0)
        })?;
        if exists {
            return Ok(id);
        }
    }
    Err(CoreError::not_found(format!(
        "Соглашение «{key}» не найдено: укажите номер соглашения (например, 1/2025-С)"
    )))
}

/// An act by its id, or by its number within the agreement `agreement` (number or id).
pub fn find_act(conn: &Db, key: &str, agreement: Option<&str>) -> Result<i64> {
    let key = key.trim();
    let found: Option<i64> = match agreement {
        Some(a) => {
            let agreement_id = find_agreement(conn, a)?;
            conn.query_opt(
                "SELECT id FROM act WHERE agreement_id = ?1 AND number = ?2",
                params![agreement_id, key],
                |r| r.get(0),
            )?
        }
        None => match key.parse::<i64>() {
            Ok(id) => conn.query_opt("SELECT id FROM act WHERE id = ?1", [id], |r| r.get(0))?,
            Err(_) => None,
        },
    };
    found.ok_or_else(|| {
        CoreError::not_found(format!(
            "Акт «{key}» не найден: укажите код акта из списка актов (cpe act list) или номер акта вместе с номером соглашения"
        ))
    })
}

fn service_of(cat: &ServiceCatalog, code: &str) -> (String, ServiceKind) {
    cat.service(code)
        .map(|s| (s.name.clone(), s.kind))
        .unwrap_or_else(|| (format!("Услуга {code}"), ServiceKind::Standalone))
}

/// The service's name with the format the agreement names (5.7, 5.8) and the event it is given at
/// (a mission, an exhibition), as printed on the agreement and its acts.
fn with_format(title: String, a: &agreement::Agreement) -> String {
    let title = match &a.format_name {
        Some(f) => format!("{title}, формат: {f}"),
        None => title,
    };
    match &a.event_title {
        Some(e) => format!("{title}; мероприятие: «{e}»"),
        None => title,
    }
}

fn base_flag(cat: &ServiceCatalog, code: &str) -> Option<bool> {
    match cat.item(code).map(|(_, i)| i.role) {
        Some(ItemRole::Base) => Some(true),
        Some(ItemRole::Additional | ItemRole::Format) => Some(false),
        _ => None,
    }
}

/// The last day of the service: the end of the last stage, or the end of the agreement's year.
fn deadline(a: &Agreement) -> NaiveDate {
    a.stages
        .iter()
        .map(|s| s.ends_on)
        .max()
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(a.date.year(), 12, 31).unwrap_or(a.date))
}

/// Working days from the agreement's date to the last payment of its schedule.
fn payment_days(conn: &Db, a: &Agreement) -> u32 {
    let Some(last) = a.payment_schedule.iter().map(|p| p.due_on).max() else {
        return DEFAULT_PAYMENT_DAYS;
    };
    crate::calendar::load(conn)
        .and_then(|c| c.working_days_between(a.date, last))
        .ok()
        .and_then(|d| u32::try_from(d).ok())
        .filter(|d| *d > 0)
        .unwrap_or(DEFAULT_PAYMENT_DAYS)
}

pub fn agreement_doc(conn: &Db, id: i64) -> Result<AgreementDoc> {
    let a = agreement::get(conn, id)?;
    let cat = catalog::get_version(conn, a.catalog_version_id)?;
    let (title, kind) = service_of(&cat, &a.service_code);
    let items = a
        .items
        .iter()
        .map(|i| ItemLine {
            code: i.item_code.clone(),
            // The quantities agreed for the item's limits are part of its terms: printed with it.
            title: match i.quantity.describe() {
                q if q.is_empty() => i.name.clone(),
                q => format!("{} ({q})", i.name),
            },
            base: if kind == ServiceKind::Complex {
                base_flag(&cat, &i.item_code)
            } else {
                None
            },
            cost: i.total,
            sme_share: i.sme_share,
            centre_share: i.centre_share,
        })
        .collect();
    Ok(AgreementDoc {
        centre: centre::get(conn)?,
        sme: sme_party(&sme::get(conn, a.sme_id)?),
        number: a.number.clone(),
        date: a.date,
        service_code: a.service_code.clone(),
        service_title: with_format(title, &a),
        complex: kind == ServiceKind::Complex,
        items,
        payment_days: payment_days(conn, &a),
        deadline: deadline(&a),
    })
}

pub fn act_doc(conn: &Db, id: i64) -> Result<ActDoc> {
    let act = act::get(conn, id)?;
    let a = agreement::get(conn, act.agreement_id)?;
    let cat = catalog::get_version(conn, a.catalog_version_id)?;
    let (title, service_kind) = service_of(&cat, &a.service_code);
    let kind = match act.stage_id.and_then(|s| a.stages.iter().find(|x| x.id == s)) {
        Some(stage) => ActKind::Stage {
            number: stage.position,
            title: stage.name.clone(),
        },
        None if service_kind == ServiceKind::Complex => ActKind::Complex,
        None => ActKind::Standalone,
    };
    let items = act
        .items
        .iter()
        .map(|i| ItemLine {
            code: i.item_code.clone(),
            title: a.item(&i.item_code).map(|x| x.name.clone()).unwrap_or_default(),
            base: if service_kind == ServiceKind::Complex {
                base_flag(&cat, &i.item_code)
            } else {
                None
            },
            cost: i.amount,
            sme_share: i.amount - i.centre_share,
            centre_share: i.centre_share,
        })
        .collect();
    Ok(ActDoc {
        centre: centre::get(conn)?,
        sme: sme_party(&sme::get(conn, a.sme_id)?),
        number: act.number.clone(),
        date: act.date,
        agreement_number: a.number.clone(),
        agreement_date: a.date,
        service_code: a.service_code.clone(),
        service_title: with_format(title.clone(), &a),
        kind,
        event: (service_kind == ServiceKind::Event).then_some(title),
        items,
    })
}

/// The ids of the acts dated within the period, in date order.
pub fn acts_in_period(conn: &Db, from: NaiveDate, to: NaiveDate) -> Result<Vec<i64>> {
    let ids = conn.query_map(
        "SELECT id FROM act WHERE date BETWEEN ?1 AND ?2 ORDER BY date, id",
        params![from, to],
        |r| r.get(0),
    )?;
    Ok(ids)
}

/// The number a refusal notice goes out under: the application's code and the year.
pub fn refusal_number(application_id: i64, date: NaiveDate) -> String {
    format!("{application_id}/{}-О", date.year())
}

pub fn refusal_doc(conn: &Db, application_id: i64) -> Result<RefusalDoc> {
    let app = application::get(conn, application_id)?;
    let refusal = match (&app.refusal, app.status) {
        (Some(r), ApplicationStatus::RefusedByCentre) => r.clone(),
        _ => {
            return Err(CoreError::field(
                "application_id",
                format!(
                "Заявка № {application_id} в статусе «{}»: уведомление об отказе печатается по заявке с отказом ЦПЭ",
                app.status.label()
            ),
            ))
        }
    };
    let cat = catalog::version_for(conn, app.received_on)?;
    let (title, _) = service_of(&cat, &app.service_code);
    let reason = match refusal.reason {
        application::RefusalReason::NotEligible => RefusalReason::NotEligible,
        application::RefusalReason::NoFunding => RefusalReason::NoFunding,
        application::RefusalReason::Documents => RefusalReason::Documents,
        application::RefusalReason::CofinancingNotPaid => RefusalReason::CofinancingNotPaid,
        application::RefusalReason::ThreeServicesNoContract => RefusalReason::NoExportResult,
    };
    Ok(RefusalDoc {
        centre: centre::get(conn)?,
        sme: sme_party(&sme::get(conn, app.sme_id)?),
        number: refusal_number(app.id, app.status_since),
        date: app.status_since,
        application_number: app.id.to_string(),
        application_date: app.received_on,
        service_code: app.service_code.clone(),
        service_title: title,
        reason,
        details: refusal.text.clone(),
    })
}

/// The extract for a business (by INN) as of `today`: one row per act, and one per agreement not yet closed by an act.
pub fn extract_doc(conn: &Db, inn: &str, today: NaiveDate) -> Result<ExtractDoc> {
    let s = sme::get_by_inn(conn, inn.trim())?
        .ok_or_else(|| CoreError::field("inn", format!("СМСП с ИНН {} нет в реестре: проверьте ИНН", inn.trim())))?;
    let mut rows = Vec::new();
    let mut agreements = agreement::list(conn, None, Some(s.id))?;
    agreements.sort_by_key(|a| (a.date, a.id));
    for summary in agreements {
        if summary.status == AgreementStatus::Draft {
            continue;
        }
        let a = agreement::get(conn, summary.id)?;
        let cat = catalog::get_version(conn, a.catalog_version_id)?;
        let (title, _) = service_of(&cat, &a.service_code);
        let acts = act::list(conn, a.id)?;
        let row = |act: Option<(String, NaiveDate)>, cost: Decimal, centre: Decimal| ExtractRow {
            service_code: a.service_code.clone(),
            service_title: title.clone(),
            agreement_number: a.number.clone(),
            agreement_date: a.date,
            act,
            cost,
            sme_share: cost - centre,
            centre_share: centre,
        };
        if acts.is_empty() {
            rows.push(row(None, a.total, a.centre_share));
        }
        for x in acts {
            let centre: Decimal = x.items.iter().map(|i| i.centre_share).sum();
            rows.push(row(Some((x.number.clone(), x.date)), x.amount, centre));
        }
    }
    Ok(ExtractDoc {
        centre: centre::get(conn)?,
        sme_category: s.input.category.map(|c| c.label().to_owned()).unwrap_or_default(),
        sme: sme_party(&s),
        date: today,
        rows,
    })
}
