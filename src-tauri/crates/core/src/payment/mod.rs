//! Payments of the SME's share: expected by the agreement's schedule, received (date, amount, payment document), the overdue ones as of a given day, and refusal §6.1.4 in one call.

use crate::db::Db;
use crate::params;
use crate::staff::Right;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::agreement::{self, AgreementStatus};
use crate::application::{self, RefusalReason};
use crate::audit::{self, AuditAction, Ctx};
use crate::error::{CoreError, ErrorCode, Result};
use crate::money::{self, format_rub};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaymentInput {
    pub agreement_id: i64,
    pub paid_on: NaiveDate,
    #[ts(type = "string")]
    pub amount: Decimal,
    /// Номер платёжного документа.
    pub document: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Payment {
    pub id: i64,
    #[serde(flatten)]
    pub input: PaymentInput,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExpectedState {
    Paid,
    Due,
    Overdue,
}

/// One payment of the schedule and how much of it received payments cover (oldest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExpectedPayment {
    pub due_on: NaiveDate,
    #[ts(type = "string")]
    pub amount: Decimal,
    #[ts(type = "string")]
    pub outstanding: Decimal,
    pub state: ExpectedState,
    /// The contractor's contract that sets this deadline (§6.1.4); `None`: the agreement.
    #[ts(optional)]
    pub contract_id: Option<i64>,
}

/// An overdue payment of the SME's share: the centre may refuse under §6.1.4.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OverduePayment {
    pub agreement_id: i64,
    pub agreement_number: String,
    pub sme_id: i64,
    pub sme_name: String,
    pub application_id: Option<i64>,
    pub due_on: NaiveDate,
    #[ts(type = "string")]
    pub outstanding: Decimal,
    /// Calendar days since the due date.
    pub days_overdue: i64,
    /// Who set the deadline: «по графику соглашения» or «по договору с исполнителем …» (§6.1.4).
    pub deadline_source: String,
}

/// «по графику соглашения» or «по договору с исполнителем «…» № …»: where a deadline comes from.
pub fn deadline_source(a: &agreement::Agreement, contract_id: Option<i64>) -> String {
    let item = contract_id.and_then(|c| a.items.iter().find(|i| i.contract_id == Some(c)));
    match item {
        None => "по графику соглашения".to_owned(),
        Some(i) => format!(
            "по договору с исполнителем «{}» № {}",
            i.contractor_name.as_deref().unwrap_or(""),
            i.contract_number.as_deref().unwrap_or("")
        ),
    }
}

fn rows(conn: &Db, agreement_id: i64) -> Result<Vec<Payment>> {
    let rows = conn.query_map(
        "SELECT id, agreement_id, paid_on, amount, document FROM payment WHERE agreement_id = ?1 ORDER BY paid_on, id",
        [agreement_id],
        |r| {
            Ok(Payment {
                id: r.get(0)?,
                input: PaymentInput {
                    agreement_id: r.get(1)?,
                    paid_on: r.get(2)?,
                    amount: money::column(r, 3)?,
                    document: r.get(4)?,
                },
            })
        },
    )?;
    Ok(rows)
}

/// Received payments of an agreement, oldest first.
pub fn list(conn: &Db, agreement_id: i64) -> Result<Vec<Payment>> {
    rows(conn, agreement_id)
}

/// The sum received for an agreement.
pub fn paid(conn: &Db, agreement_id: i64) -> Result<Decimal> {
    Ok(money::kopecks(
        rows(conn, agreement_id)?.iter().map(|p| p.input.amount).sum(),
    ))
}

/// Records a received payment; the total received cannot exceed the SME's share.
pub fn add(conn: &mut Db, ctx: &Ctx, input: &PaymentInput) -> Result<Payment> {
    crate::fields::refuse_bad(input)?;
    let tx = conn.write(ctx, Right::Payments)?;
    let a = agreement::get(&tx, input.agreement_id)?;
    if matches!(a.status, AgreementStatus::Draft | AgreementStatus::Terminated) {
        return Err(CoreError::new(
            ErrorCode::Rule,
            format!(
                "Соглашение № {} в статусе «{}»: оплата не принимается",
                a.number,
                a.status.label()
            ),
        ));
    }
    if input.document.trim().is_empty() {
        return Err(CoreError::field("document", "Платёжный документ: укажите номер"));
    }
    if input.amount <= Decimal::ZERO {
        return Err(CoreError::field(
            "amount",
            "Сумма платежа: укажите положительную сумму с точностью до копейки",
        ));
    }
    money::check_rub(input.amount).map_err(|reason| CoreError::field("amount", format!("Сумма платежа: {reason}")))?;
    if input.paid_on > ctx.now.date() {
        return Err(CoreError::field(
            "paid_on",
            "Дата платежа не может быть позже сегодняшнего дня",
        ));
    }
    if a.paid + input.amount > a.sme_share {
        return Err(CoreError::field(
            "amount",
            format!(
                "Сумма платежа {}: с ней оплачено {} — больше доли СМСП {} по соглашению № {}",
                format_rub(input.amount),
                format_rub(a.paid + input.amount),
                format_rub(a.sme_share),
                a.number
            ),
        ));
    }
    let id: i64 = tx.query_row(
        "INSERT INTO payment (agreement_id, paid_on, amount, document, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        params![
            a.id,
            input.paid_on,
            money::plain(input.amount),
            input.document.trim(),
            ctx.stamp()
        ], |r| r.get(0))?;
    let p = Payment {
        id,
        input: PaymentInput {
            document: input.document.trim().to_owned(),
            amount: money::kopecks(input.amount),
            ..input.clone()
        },
    };
    audit::record(&tx, ctx, "payment", p.id, AuditAction::Create, None, Some(&p))?;
    tx.commit()?;
    Ok(p)
}

/// Pure: the schedule against the received total as of `today`. Received money covers the
/// earliest payments first; a payment not covered after its due date is overdue.
pub fn expected_of(
    schedule: &[agreement::PlannedPayment],
    received: Decimal,
    today: NaiveDate,
) -> Vec<ExpectedPayment> {
    let mut plan = schedule.to_vec();
    plan.sort_by_key(|p| p.due_on);
    let mut left = received;
    plan.into_iter()
        .map(|p| {
            let covered = left.min(p.amount).max(Decimal::ZERO);
            left -= covered;
            let outstanding = money::kopecks(p.amount - covered);
            let state = if outstanding.is_zero() {
                ExpectedState::Paid
            } else if p.due_on < today {
                ExpectedState::Overdue
            } else {
                ExpectedState::Due
            };
            ExpectedPayment {
                due_on: p.due_on,
                amount: p.amount,
                outstanding,
                state,
                contract_id: p.contract_id,
            }
        })
        .collect()
}

/// The expected payments of one agreement as of `today`.
pub fn expected(conn: &Db, agreement_id: i64, today: NaiveDate) -> Result<Vec<ExpectedPayment>> {
    let a = agreement::get(conn, agreement_id)?;
    Ok(expected_of(&a.payment_schedule, a.paid, today))
}

/// Every overdue payment of signed agreements as of `today`, the oldest first.
///
/// Payments cover the schedule in due order, so an agreement has an overdue payment only when it
/// received less than what fell due before `today`; that is found in one statement (in whole
/// kopecks) and only those agreements are loaded — loading every signed agreement made the home
/// screen of ten years of work wait for seconds.
pub fn overdue(conn: &Db, today: NaiveDate) -> Result<Vec<OverduePayment>> {
    let ids = conn.query_map(
        &format!(
            "SELECT g.id FROM agreement g
         WHERE g.status IN ('signed', 'in_progress', 'completed')
           AND (SELECT {} FROM agreement_payment_plan p WHERE p.agreement_id = g.id AND p.due_on < ?1)
             > (SELECT {} FROM payment y WHERE y.agreement_id = g.id)
         ORDER BY g.id",
            money::sql_sum_kopecks("p.amount"),
            money::sql_sum_kopecks("y.amount")
        ),
        [today],
        |r| r.get::<_, i64>(0),
    )?;
    let mut out = Vec::new();
    for id in ids {
        let a = agreement::get(conn, id)?;
        for e in expected_of(&a.payment_schedule, a.paid, today) {
            if e.state == ExpectedState::Overdue {
                out.push(OverduePayment {
                    agreement_id: a.id,
                    agreement_number: a.number.clone(),
                    sme_id: a.sme_id,
                    sme_name: a.sme_name.clone(),
                    application_id: a.application_id,
                    due_on: e.due_on,
                    outstanding: e.outstanding,
                    days_overdue: (today - e.due_on).num_days(),
                    deadline_source: deadline_source(&a, e.contract_id),
                });
            }
        }
    }
    out.sort_by_key(|o| (o.due_on, o.agreement_id));
    Ok(out)
}

/// §6.1.4 in one action: when the agreement has an overdue payment as of `today`, refuses its
/// application (which terminates the agreement) or, without an application, terminates it.
pub fn refuse_for_nonpayment(
    conn: &mut Db,
    ctx: &Ctx,
    agreement_id: i64,
    today: NaiveDate,
) -> Result<agreement::Agreement> {
    let a = agreement::get(conn, agreement_id)?;
    if !a.status.is_active() {
        return Err(CoreError::new(
            ErrorCode::Rule,
            format!(
                "Соглашение № {} в статусе «{}»: отказ по п. 6.1.4 возможен только по действующему соглашению",
                a.number,
                a.status.label()
            ),
        ));
    }
    let late: Vec<ExpectedPayment> = expected_of(&a.payment_schedule, a.paid, today)
        .into_iter()
        .filter(|e| e.state == ExpectedState::Overdue)
        .collect();
    let Some(first) = late.first() else {
        return Err(CoreError::new(
            ErrorCode::Rule,
            format!(
                "По соглашению № {} нет просроченных платежей на {}: отказ по п. 6.1.4 невозможен",
                a.number,
                today.format("%d.%m.%Y")
            ),
        ));
    };
    let text = format!(
        "софинансирование по соглашению № {} не оплачено в срок: {} до {} (срок {})",
        a.number,
        format_rub(late.iter().map(|e| e.outstanding).sum()),
        first.due_on.format("%d.%m.%Y"),
        deadline_source(&a, first.contract_id)
    );
    match a.application_id {
        Some(app) => {
            application::refuse(conn, ctx, app, RefusalReason::CofinancingNotPaid, &text)?;
        }
        None => {
            agreement::terminate(
                conn,
                ctx,
                agreement_id,
                ctx.now.date(),
                &format!("Отказ ЦПЭ, п. 6.1.4: {text}"),
            )?;
        }
    }
    agreement::get(conn, agreement_id)
}
