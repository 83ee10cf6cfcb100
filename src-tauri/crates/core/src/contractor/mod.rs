//! Contractors (исполнители): the organisations and individual specialists the centre hires to provide services, their §4.3(3) declaration and their contracts with the centre.

mod declaration;
mod store;

pub(crate) use declaration::check_for_signing;
pub use declaration::{
    group_declaration, pair_declarations, record_group_declaration, GroupDeclaration, PairDeclaration,
};
pub use store::{add, add_contract, contracts, get, get_contract, list, update};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, Problems};
use crate::ident::{self, InnKind};

/// Организация или индивидуальный специалист.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ContractorKind {
    Organisation,
    Individual,
}

impl ContractorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ContractorKind::Organisation => "organisation",
            ContractorKind::Individual => "individual",
        }
    }

    pub fn parse(s: &str) -> Option<ContractorKind> {
        match s {
            "organisation" => Some(ContractorKind::Organisation),
            "individual" => Some(ContractorKind::Individual),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContractorKind::Organisation => "организация",
            ContractorKind::Individual => "квалифицированный специалист",
        }
    }
}

/// What staff type on the contractor form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContractorInput {
    pub kind: ContractorKind,
    pub name: String,
    pub inn: String,
    /// Аккредитован РЭЦ.
    pub accredited_rec: bool,
    #[serde(default)]
    pub contact_person: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// Date of the contractor's general declaration that it is not in one group of persons with the
    /// SMEs it serves; `None` while it has not given one. Informational: signing needs the
    /// declaration of each pair (`record_group_declaration`, §4.3(3)).
    #[serde(default)]
    pub group_declaration_on: Option<NaiveDate>,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Contractor {
    pub id: i64,
    #[serde(flatten)]
    pub input: ContractorInput,
}

/// A contract of the centre with a contractor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContractInput {
    pub contractor_id: i64,
    pub number: String,
    pub date: NaiveDate,
    #[ts(type = "string")]
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContractorContract {
    pub id: i64,
    #[serde(flatten)]
    pub input: ContractInput,
}

/// Every problem of the form at once.
pub fn validate(input: &ContractorInput) -> Vec<CoreError> {
    let mut p = Problems(crate::fields::check_record(input));
    if input.name.trim().is_empty() {
        p.push("name", "Наименование исполнителя: укажите наименование или ФИО");
    }
    let inn = input.inn.trim();
    p.check(
        "inn",
        "ИНН",
        ident::validate_inn(inn).and_then(|kind| match (input.kind, kind) {
            (ContractorKind::Organisation, InnKind::Person) | (ContractorKind::Individual, InnKind::Organisation) => {
                Err(format!(
                    "ИНН {inn}: у организации 10 цифр, у индивидуального специалиста 12 — проверьте вид исполнителя"
                ))
            }
            _ => Ok(()),
        }),
    );
    let email = input.email.trim();
    if !email.is_empty() && !email.contains('@') {
        p.push(
            "email",
            format!("Электронная почта «{email}»: укажите адрес вида name@example.ru"),
        );
    }
    p.0
}

pub(crate) fn validate_contract(input: &ContractInput) -> Vec<CoreError> {
    let mut p = Problems(crate::fields::check_record(input));
    if input.number.trim().is_empty() {
        p.push("number", "Номер договора с исполнителем: укажите номер");
    }
    if input.amount <= Decimal::ZERO || input.amount.normalize().scale() > 2 {
        p.push(
            "amount",
            "Сумма договора с исполнителем: укажите положительную сумму с точностью до копейки",
        );
    } else {
        p.check(
            "amount",
            "Сумма договора с исполнителем",
            crate::money::check_rub(input.amount),
        );
    }
    p.0
}

#[cfg(test)]
mod tests;
