//! The typed forms of an agreement's terms on the command line — items `CODE:COST:SHARE[:CONTRACTOR[:CONTRACT]]`, quantities, payments `DATE:AMOUNT[:CONTRACT]` and stages `NAME:DATE` — read into the core's inputs with a Russian message naming the option.

use chrono::NaiveDate;
use cpe_core::agreement::{AgreementItemInput, PlannedPayment, StageInput};
use cpe_core::CoreError;
use rust_decimal::Decimal;

use crate::application::amount;

pub(crate) fn bad(field: &str, text: &str, form: &str) -> CoreError {
    CoreError::field(field, format!("--{field} {text}: укажите {form}"))
}

fn date(field: &str, text: &str, form: &str) -> Result<NaiveDate, CoreError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| bad(field, text, form))
}

pub(crate) fn parse_item(text: &str) -> Result<AgreementItemInput, CoreError> {
    let form = "КОД:СТОИМОСТЬ:ДОЛЯ_СМСП[:ИСПОЛНИТЕЛЬ[:ДОГОВОР]], например 4.2:500000:100000";
    let parts: Vec<&str> = text.split(':').collect();
    if !(3..=5).contains(&parts.len()) {
        return Err(bad("item", text, form));
    }
    let id = |i: usize| {
        parts
            .get(i)
            .map(|p| p.trim().parse::<i64>().map_err(|_| bad("item", text, form)))
            .transpose()
    };
    Ok(AgreementItemInput {
        item_code: parts[0].trim().to_owned(),
        cost: amount("item", parts[1])?,
        sme_share: amount("item", parts[2])?,
        state_fees: Decimal::ZERO,
        contractor_id: id(3)?,
        contract_id: id(4)?,
        quantity: Default::default(),
    })
}

/// `--quantity CODE:guests=3,days=2` put on the item of that code.
pub(crate) fn with_quantities(
    mut items: Vec<AgreementItemInput>,
    quantities: &[String],
) -> Result<Vec<AgreementItemInput>, CoreError> {
    for text in quantities {
        let (code, q) = crate::cofinancing::parse_quantity(text)?;
        let item = items.iter_mut().find(|i| i.item_code == code).ok_or_else(|| {
            CoreError::field(
                "quantity",
                format!("--quantity {text}: позиции {code} нет среди --item"),
            )
        })?;
        item.quantity = q;
    }
    Ok(items)
}

pub(crate) fn parse_pay(text: &str) -> Result<PlannedPayment, CoreError> {
    let form = "ДАТА:СУММА[:ДОГОВОР_С_ИСПОЛНИТЕЛЕМ], например 2025-03-20:100000";
    let parts: Vec<&str> = text.split(':').collect();
    let (d, a, contract) = match parts[..] {
        [d, a] => (d, a, None),
        [d, a, c] => (d, a, Some(c.trim().parse::<i64>().map_err(|_| bad("pay", text, form))?)),
        _ => return Err(bad("pay", text, form)),
    };
    Ok(PlannedPayment {
        due_on: date("pay", d, form)?,
        amount: amount("pay", a)?,
        contract_id: contract,
    })
}

pub(crate) fn parse_stage(text: &str) -> Result<StageInput, CoreError> {
    let form = "НАИМЕНОВАНИЕ:ГГГГ-ММ-ДД";
    let (name, d) = text.rsplit_once(':').ok_or_else(|| bad("stage", text, form))?;
    Ok(StageInput {
        name: name.trim().to_owned(),
        starts_on: None,
        ends_on: date("stage", d, form)?,
    })
}
