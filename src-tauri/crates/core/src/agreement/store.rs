//! SQL of agreements: reading with items, schedule, stages and amendments; creating a numbered draft; editing a draft; writing money terms.

pub(super) use super::write::write_terms;
use super::write::{validate_event, write_format, write_stages};
use crate::staff::Right;
use std::collections::HashSet;

use crate::db::Db;
use crate::params;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::number::next_number;
use super::{
    Agreement, AgreementInput, AgreementItem, AgreementItemInput, AgreementStatus, AgreementSummary, Amendment,
    MoneyTerms, PlannedPayment, Stage, StageInput,
};
use crate::audit::{self, AuditAction, Ctx};
use crate::catalog::{self, ServiceCatalog};
use crate::error::{CoreError, ErrorCode, Result};
use crate::{contractor, money, sme};

pub(super) fn status_from(s: String) -> Result<AgreementStatus> {
    AgreementStatus::parse(&s).ok_or_else(|| CoreError::storage(format!("Неизвестный статус соглашения «{s}»")))
}

fn json_err(e: serde_json::Error) -> CoreError {
    CoreError::storage(format!("Условия дополнительного соглашения в базе повреждены: {e}"))
}

pub fn get(conn: &Db, id: i64) -> Result<Agreement> {
    type Head = (
        i64,
        String,
        NaiveDate,
        i64,
        String,
        String,
        Option<i64>,
        i64,
        String,
        Option<u32>,
        bool,
        String,
    );
    type Dates = (Option<NaiveDate>, Option<NaiveDate>, Option<NaiveDate>, String);
    let (h, d): (Head, Dates) = conn
        .query_opt(
            "SELECT a.id, a.number, a.date, a.sme_id, s.full_name, s.inn, a.application_id, a.catalog_version_id,
                    a.service_code, a.participants, a.declaration_signed, a.status,
                    a.signed_on, a.completed_on, a.terminated_on, a.termination_reason
             FROM agreement a JOIN sme s ON s.id = a.sme_id WHERE a.id = ?1",
            [id],
            |r| {
                Ok((
                    (
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                        r.get(9)?,
                        r.get(10)?,
                        r.get(11)?,
                    ),
                    (r.get(12)?, r.get(13)?, r.get(14)?, r.get(15)?),
                ))
            },
        )?
        .ok_or_else(|| CoreError::not_found(format!("Соглашение № {id} не найдено")))?;
    let cat = catalog::get_version(conn, h.7)?;
    let name = |code: &str| cat.item(code).map(|(_, i)| i.name.clone()).unwrap_or_default();
    let mut items: Vec<AgreementItem> = conn.query_map(
        "SELECT i.item_code, i.cost, i.sme_share, i.state_fees, i.centre_share, i.contractor_id, c.name, i.contract_id,
                cc.number, i.quantity_json
         FROM agreement_item i LEFT JOIN contractor c ON c.id = i.contractor_id
              LEFT JOIN contractor_contract cc ON cc.id = i.contract_id
         WHERE i.agreement_id = ?1 ORDER BY i.id",
        [id],
        |r| {
            let cost = money::column(r, 1)?;
            let fees = money::column(r, 3)?;
            Ok(AgreementItem {
                item_code: r.get(0)?,
                name: String::new(),
                cost,
                sme_share: money::column(r, 2)?,
                state_fees: fees,
                centre_share: money::column(r, 4)?,
                total: money::kopecks(cost + fees),
                acted: Decimal::ZERO,
                contractor_id: r.get(5)?,
                contractor_name: r.get(6)?,
                contract_id: r.get(7)?,
                contract_number: r.get(8)?,
                quantity: {
                    let json: String = r.get(9)?;
                    serde_json::from_str(&json).unwrap_or_default()
                },
            })
        },
    )?;
    for item in &mut items {
        item.name = name(&item.item_code);
        item.acted = crate::act::acted(conn, id, &item.item_code, true)?;
    }
    let format: (Option<String>, Option<String>, Option<i64>, Option<String>) = conn.query_row(
        "SELECT g.format, g.selection, g.event_id, e.title FROM agreement g LEFT JOIN event e ON e.id = g.event_id
         WHERE g.id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let format_name = cat
        .service(&h.8)
        .and_then(|s| s.formats.iter().find(|f| Some(&f.code) == format.0.as_ref()))
        .map(|f| f.name.clone());
    let payment_schedule = schedule(conn, id)?;
    let stages = conn.query_map(
        "SELECT id, position, name, starts_on, ends_on FROM agreement_stage WHERE agreement_id = ?1 ORDER BY position",
        [id],
        |r| {
            Ok(Stage {
                id: r.get(0)?,
                position: r.get(1)?,
                name: r.get(2)?,
                starts_on: r.get(3)?,
                ends_on: r.get(4)?,
            })
        },
    )?;
    let raw = conn.query_map(
        "SELECT id, number, date, before_json, after_json FROM agreement_amendment WHERE agreement_id = ?1 ORDER BY id",
        [id],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, NaiveDate>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        },
    )?;
    let mut amendments = Vec::new();
    for (aid, number, date, before, after) in raw {
        amendments.push(Amendment {
            id: aid,
            number,
            date,
            before: serde_json::from_str::<MoneyTerms>(&before).map_err(json_err)?,
            after: serde_json::from_str::<MoneyTerms>(&after).map_err(json_err)?,
        });
    }
    let sum = |f: fn(&AgreementItem) -> Decimal| money::kopecks(items.iter().map(f).sum());
    Ok(Agreement {
        id: h.0,
        number: h.1,
        date: h.2,
        sme_id: h.3,
        sme_name: h.4,
        sme_inn: h.5,
        application_id: h.6,
        catalog_version_id: h.7,
        service_code: h.8,
        participants: h.9,
        declaration_signed: h.10,
        status: status_from(h.11)?,
        signed_on: d.0,
        completed_on: d.1,
        terminated_on: d.2,
        termination_reason: d.3,
        cost: sum(|i| i.cost),
        sme_share: sum(|i| i.sme_share),
        centre_share: sum(|i| i.centre_share),
        total: sum(|i| i.total),
        paid: crate::payment::paid(conn, id)?,
        decision: decision(conn, id)?,
        format_name,
        format: format.0,
        selection: format.1,
        event_id: format.2,
        event_title: format.3,
        items,
        payment_schedule,
        stages,
        amendments,
    })
}

pub(super) fn schedule(conn: &Db, id: i64) -> Result<Vec<PlannedPayment>> {
    let rows = conn.query_map(
        "SELECT due_on, amount, contract_id FROM agreement_payment_plan WHERE agreement_id = ?1 ORDER BY position",
        [id],
        |r| {
            Ok(PlannedPayment {
                due_on: r.get(0)?,
                amount: money::column(r, 1)?,
                contract_id: r.get(2)?,
            })
        },
    )?;
    Ok(rows)
}

/// Agreements, the newest first; narrowed by status and/or SME. Two queries whatever the length
/// of the list (no catalog is parsed).
pub fn list(conn: &Db, status: Option<AgreementStatus>, sme_id: Option<i64>) -> Result<Vec<AgreementSummary>> {
    // Only the filters given are written as conditions, so SQLite can use the sme_id index (an
    // `?2 IS NULL OR a.sme_id = ?2` condition is answered by scanning every agreement).
    let filter = format!(
        "{} AND {}",
        status.map_or("?1 IS NULL", |_| "a.status = ?1"),
        sme_id.map_or("?2 IS NULL", |_| "a.sme_id = ?2")
    );
    let args = params![status.map(|s| s.as_str()), sme_id];
    let mut totals: std::collections::HashMap<i64, (Decimal, Decimal, Decimal)> = std::collections::HashMap::new();
    let rows = conn.query_map(
        &format!(
            "SELECT i.agreement_id, i.cost, i.state_fees, i.sme_share, i.centre_share
         FROM agreement_item i JOIN agreement a ON a.id = i.agreement_id WHERE {filter}"
        ),
        args,
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                money::column(r, 1)? + money::column(r, 2)?,
                money::column(r, 3)?,
                money::column(r, 4)?,
            ))
        },
    )?;
    for row in rows {
        let (id, total, sme, centre) = row;
        let t = totals.entry(id).or_default();
        t.0 += total;
        t.1 += sme;
        t.2 += centre;
    }
    let raw = conn.query_map(
        &format!(
            "SELECT a.id, a.number, a.date, a.sme_id, s.full_name, a.service_code, a.status, a.signed_on
         FROM agreement a JOIN sme s ON s.id = a.sme_id WHERE {filter} ORDER BY a.date DESC, a.id DESC"
        ),
        args,
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, NaiveDate>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<NaiveDate>>(7)?,
            ))
        },
    )?;
    raw.into_iter()
        .map(
            |(id, number, date, sme_id, sme_name, service_code, status, signed_on)| {
                let (total, sme_share, centre_share) = totals.get(&id).copied().unwrap_or_default();
                Ok(AgreementSummary {
                    id,
                    number,
                    date,
                    sme_id,
                    sme_name,
                    service_code,
                    status: status_from(status)?,
                    signed_on,
                    total: money::kopecks(total),
                    sme_share: money::kopecks(sme_share),
                    centre_share: money::kopecks(centre_share),
                })
            },
        )
        .collect()
}

fn money_ok(d: Decimal) -> bool {
    money::check_rub(d).is_ok()
}

/// Checks the items against the agreement's catalog service and the contractors; every item
/// names itself in the message.
pub(super) fn validate_items(
    conn: &Db,
    cat: &ServiceCatalog,
    service_code: &str,
    items: &[AgreementItemInput],
) -> Result<()> {
    let service = cat.service(service_code).ok_or_else(|| {
        CoreError::field(
            "service_code",
            format!(
                "Услуги «{service_code}» нет в каталоге услуг от {}: выберите услугу из каталога",
                cat.effective_from.format("%d.%m.%Y")
            ),
        )
    })?;
    if items.is_empty() {
        return Err(CoreError::field(
            "items",
            "Состав соглашения: добавьте хотя бы одну услугу со стоимостью",
        ));
    }
    let mut seen = HashSet::new();
    for i in items {
        let at = format!("Услуга {}", i.item_code);
        if service.item(&i.item_code).is_none() {
            return Err(CoreError::field(
                "items",
                format!("«{}» не входит в состав услуги {service_code}", i.item_code),
            ));
        }
        if !seen.insert(i.item_code.as_str()) {
            return Err(CoreError::field("items", format!("{at} указана дважды")));
        }
        for (label, amount) in [
            ("стоимость", i.cost),
            ("доля СМСП", i.sme_share),
            ("госпошлины", i.state_fees),
        ] {
            money::check_rub(amount).map_err(|reason| CoreError::field("items", format!("{at}, {label}: {reason}")))?;
        }
        if i.sme_share > i.cost {
            return Err(CoreError::field(
                "items",
                format!(
                    "{at}: доля СМСП {} больше стоимости {}",
                    money::format_rub(i.sme_share),
                    money::format_rub(i.cost)
                ),
            ));
        }
        if let Some(cid) = i.contract_id {
            let c = contractor::get_contract(conn, cid)?;
            if i.contractor_id != Some(c.input.contractor_id) {
                return Err(CoreError::field(
                    "items",
                    format!("{at}: договор № {} заключён с другим исполнителем", c.input.number),
                ));
            }
        }
        if let Some(cid) = i.contractor_id {
            contractor::get(conn, cid).map_err(|e| CoreError::field("items", format!("{at}: {}", e.message)))?;
        }
    }
    Ok(())
}

pub(super) fn validate_schedule(schedule: &[PlannedPayment]) -> Result<()> {
    for p in schedule {
        if p.amount <= Decimal::ZERO || !money_ok(p.amount) {
            return Err(CoreError::field(
                "payment_schedule",
                format!(
                    "График оплаты, платёж до {}: укажите положительную сумму",
                    p.due_on.format("%d.%m.%Y")
                ),
            ));
        }
    }
    Ok(())
}

fn validate_stages(stages: &[StageInput]) -> Result<()> {
    for s in stages {
        if s.name.trim().is_empty() {
            return Err(CoreError::field("stages", "Этап: укажите наименование"));
        }
        if s.starts_on.is_some_and(|st| st > s.ends_on) {
            return Err(CoreError::field(
                "stages",
                format!("Этап «{}»: дата начала позже даты окончания", s.name.trim()),
            ));
        }
    }
    Ok(())
}

fn normalised(input: &AgreementInput) -> AgreementInput {
    let mut input = input.clone();
    input.service_code = input.service_code.trim().to_owned();
    for i in &mut input.items {
        i.item_code = i.item_code.trim().to_owned();
        i.cost = money::kopecks(i.cost);
        i.sme_share = money::kopecks(i.sme_share);
        i.state_fees = money::kopecks(i.state_fees);
    }
    for p in &mut input.payment_schedule {
        p.amount = money::kopecks(p.amount);
    }
    input
}

fn validate(conn: &Db, input: &AgreementInput) -> Result<ServiceCatalog> {
    crate::fields::refuse_bad(input)?;
    let sme = sme::get(conn, input.sme_id).map_err(|e| CoreError::field("sme_id", e.message))?;
    if let Some(why) = sme::personal_data::agreement_refusal(conn, &sme, input.date)? {
        return Err(CoreError::field("sme_id", why));
    }
    if let Some(app_id) = input.application_id {
        let app = crate::application::get(conn, app_id).map_err(|e| CoreError::field("application_id", e.message))?;
        if app.sme_id != sme.id || app.service_code != input.service_code {
            return Err(CoreError::field(
                "application_id",
                format!(
                    "Заявка № {app_id} подана другим СМСП или на другую услугу ({})",
                    app.service_code
                ),
            ));
        }
    }
    let cat = catalog::version_for(conn, input.date)?;
    validate_items(conn, &cat, &input.service_code, &input.items)?;
    validate_schedule(&input.payment_schedule)?;
    validate_stages(&input.stages)?;
    Ok(cat)
}

/// Creates a draft with the next number of its year. The transaction begins IMMEDIATE, so the
/// number counter is taken by one connection at a time (two windows, two app instances).
pub fn create(conn: &mut Db, ctx: &Ctx, input: &AgreementInput) -> Result<Agreement> {
    let tx = conn.write(ctx, Right::Agreements)?;
    let a = create_in(&tx, ctx, input)?;
    tx.commit()?;
    Ok(a)
}

/// [`create`] inside a transaction the caller holds with the right to agreements (several drafts of
/// one event made together, all or none).
pub(crate) fn create_in(tx: &Db, ctx: &Ctx, input: &AgreementInput) -> Result<Agreement> {
    let input = normalised(input);
    let cat = validate(tx, &input)?;
    validate_event(tx, &cat, &input, None)?;
    let number = next_number(tx, input.date.year())?;
    let id: i64 = tx.query_row(
        "INSERT INTO agreement (number, date, sme_id, application_id, catalog_version_id, service_code, participants,
                                declaration_signed, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'draft', ?9, ?9) RETURNING id",
        params![
            number,
            input.date,
            input.sme_id,
            input.application_id,
            cat.id,
            input.service_code,
            input.participants,
            input.declaration_signed,
            ctx.stamp()
        ],
        |r| r.get(0),
    )?;
    write_terms(tx, id, &input.items, &input.payment_schedule)?;
    write_stages(tx, id, &input.stages)?;
    write_format(tx, id, &input)?;
    let a = get(tx, id)?;
    audit::record(tx, ctx, "agreement", id, AuditAction::Create, None, Some(&a))?;
    Ok(a)
}

/// Changes a draft within the year of its number; a signed agreement's money terms change only by
/// [`super::amend`].
pub fn update_draft(conn: &mut Db, ctx: &Ctx, id: i64, input: &AgreementInput) -> Result<Agreement> {
    let input = normalised(input);
    let tx = conn.write(ctx, Right::Agreements)?;
    let before = get(&tx, id)?;
    if before.status != AgreementStatus::Draft {
        return Err(CoreError {
            code: ErrorCode::Rule,
            message: format!(
                "Соглашение № {} уже подписано: его условия меняются только дополнительным соглашением",
                before.number
            ),
            field: None,
        });
    }
    if input.date.year() != before.date.year() {
        return Err(CoreError::field(
            "date",
            format!(
                "Проект № {} зарегистрирован в {} году: дата может меняться только в пределах этого года. \
                 Для другого года расторгните этот проект и оформите новое соглашение",
                before.number,
                before.date.year()
            ),
        ));
    }
    let cat = validate(&tx, &input)?;
    validate_event(&tx, &cat, &input, Some(id))?;
    tx.execute(
        "UPDATE agreement SET date = ?2, sme_id = ?3, application_id = ?4, catalog_version_id = ?5, service_code = ?6,
                participants = ?7, declaration_signed = ?8, updated_at = ?9 WHERE id = ?1",
        params![
            id,
            input.date,
            input.sme_id,
            input.application_id,
            cat.id,
            input.service_code,
            input.participants,
            input.declaration_signed,
            ctx.stamp()
        ],
    )?;
    write_terms(&tx, id, &input.items, &input.payment_schedule)?;
    write_stages(&tx, id, &input.stages)?;
    write_format(&tx, id, &input)?;
    let after = get(&tx, id)?;
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

/// The head's decision an agreement was signed by (§6.1), if any.
pub fn decision(conn: &Db, agreement_id: i64) -> Result<Option<super::HeadDecision>> {
    conn.query_opt(
        "SELECT paragraph, reason, decided_by, decided_at FROM agreement_decision WHERE agreement_id = ?1",
        [agreement_id],
        |r| {
            Ok(super::HeadDecision {
                paragraph: r.get(0)?,
                reason: r.get(1)?,
                decided_by: r.get(2)?,
                decided_at: r.get(3)?,
            })
        },
    )
}
