//! The export contract form's live check: every problem with its field, warnings, the conversion at the Central Bank's rates of the contract date, the volumes by year and the reporting deadline; nothing is written.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ExportContractInput, ExportVolume, REPORT_WORKING_DAYS};
use crate::calendar::{self, Calendar};
use crate::db::Db;
use crate::error::{CoreError, ErrorCode, Result};
use crate::foreign_buyer;
use crate::money;
use crate::oksm;
use crate::rates::{self, Conversion};

/// How far after the contract date its volume may be planned, in years.
const MAX_YEARS_AHEAD: i32 = 10;

/// What the form shows while staff type: every problem at once, warnings that do not block
/// saving, the conversion at the contract date's rates and the reporting deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExportContractCheck {
    pub problems: Vec<CoreError>,
    pub warnings: Vec<String>,
    pub conversion: Option<Conversion>,
    pub volumes: Vec<ExportVolume>,
    pub due_on: Option<NaiveDate>,
    pub late: bool,
}

/// An agreement an export contract may result from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SupportOption {
    pub agreement_id: i64,
    pub number: String,
    pub service_code: String,
    pub date: NaiveDate,
    /// "in_progress" or "completed".
    pub status: String,
}

/// Agreements of the SME in progress or completed: those a contract may result from.
pub fn support_options(conn: &Db, sme_id: i64) -> Result<Vec<SupportOption>> {
    let rows = conn.query_map(
        "SELECT id, number, service_code, date, status FROM agreement
         WHERE sme_id = ?1 AND status IN ('in_progress', 'completed') ORDER BY date DESC, id DESC",
        [sme_id],
        |r| {
            Ok(SupportOption {
                agreement_id: r.get(0)?,
                number: r.get(1)?,
                service_code: r.get(2)?,
                date: r.get(3)?,
                status: r.get(4)?,
            })
        },
    )?;
    Ok(rows)
}

pub(super) fn due_on(cal: &Calendar, contract_date: NaiveDate) -> Option<NaiveDate> {
    cal.add_working_days(contract_date, REPORT_WORKING_DAYS).ok()
}

fn amount(field: &str, label: &str, text: &str) -> std::result::Result<Decimal, CoreError> {
    money::parse_foreign(text).map_err(|reason| CoreError::field(field, format!("{label}: {reason}")))
}

/// The form's check. Nothing is written.
pub fn check(conn: &Db, input: &ExportContractInput) -> Result<ExportContractCheck> {
    let mut problems: Vec<CoreError> = crate::fields::check_record(input);
    let mut warnings = Vec::new();
    let sme: Option<i64> = conn.query_opt("SELECT id FROM sme WHERE id = ?1", [input.sme_id], |r| r.get(0))?;
    if sme.is_none() {
        problems.push(CoreError::field("sme_id", "СМСП: выберите субъекта МСП из реестра"));
    }
    if input.subject.trim().is_empty() {
        problems.push(CoreError::field(
            "subject",
            "Предмет контракта: укажите, что экспортируется (товар или услуга)",
        ));
    }
    if let Err(e) = oksm::validate_country("country_code", "Страна контрагента", &input.country_code) {
        problems.push(e);
    }
    if input.counterparty_name.trim().is_empty() {
        problems.push(CoreError::field(
            "counterparty_name",
            "Иностранный контрагент: укажите наименование покупателя",
        ));
    }
    if let Some(buyer) = input.buyer_id {
        if foreign_buyer::get(conn, buyer).is_err() {
            problems.push(CoreError::field(
                "buyer_id",
                format!("Иностранный покупатель № {buyer} не найден; выберите его из базы заново"),
            ));
        }
    }
    let currency = input.currency.trim().to_uppercase();
    // A currency the Bank started quoting after the classifier was shipped is known from its rates.
    let currency_ok = currency == oksm::RUB
        || oksm::currency(&currency).is_some()
        || conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM currency_rate WHERE char_code = ?1)",
            [&currency],
            |r| r.get::<_, bool>(0),
        )?;
    if !currency_ok {
        problems.push(CoreError::field(
            "currency",
            format!(
                "Валюта «{}»: выберите валюту, по которой ЦБ устанавливает курс (USD, EUR, CNY…), или RUB",
                input.currency.trim()
            ),
        ));
    }
    if input.reported_on < input.contract_date {
        problems.push(CoreError::field(
            "reported_on",
            "Дата сообщения: СМСП не может сообщить о контракте раньше даты контракта",
        ));
    }
    if let Some(id) = input.agreement_id {
        let a: Option<(i64, String, NaiveDate)> =
            conn.query_opt("SELECT sme_id, status, date FROM agreement WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        match a {
            None => problems.push(CoreError::field(
                "agreement_id",
                format!("Соглашение № {id} не найдено"),
            )),
            Some((owner, _, _)) if sme.is_some() && owner != input.sme_id => problems.push(CoreError::field(
                "agreement_id",
                "Соглашение: выбрано соглашение другого СМСП; выберите соглашение этого субъекта",
            )),
            Some((_, status, _)) if status != "in_progress" && status != "completed" => {
                problems.push(CoreError::field(
                    "agreement_id",
                    "Соглашение: контракт может быть результатом только услуги, которая оказывается или оказана",
                ))
            }
            Some((_, _, date)) if input.contract_date < date => warnings.push(format!(
                "Контракт заключён ({}) раньше соглашения ({}): такой контракт не результат этой услуги и в КПЭ 2 и 3 не учитывается — проверьте соглашение и дату",
                input.contract_date.format("%d.%m.%Y"),
                date.format("%d.%m.%Y")
            )),
            Some(_) => {}
        }
    }
    let total = match amount("amount", "Сумма контракта", &input.amount) {
        Ok(d) => Some(d),
        Err(e) => {
            problems.push(e);
            None
        }
    };
    let first_year = input.contract_date.year();
    let mut years = BTreeSet::new();
    let mut parsed_volumes = Vec::new();
    for (i, v) in input.volumes.iter().enumerate() {
        let field = format!("volumes.{i}");
        if !(first_year..=first_year + MAX_YEARS_AHEAD).contains(&v.year) {
            problems.push(CoreError::field(
                &field,
                format!(
                    "Объём по годам: {} год вне срока контракта — укажите год с {first_year} по {}",
                    v.year,
                    first_year + MAX_YEARS_AHEAD
                ),
            ));
            continue;
        }
        if !years.insert(v.year) {
            problems.push(CoreError::field(
                &field,
                format!("Объём по годам: {} год указан дважды", v.year),
            ));
            continue;
        }
        match amount(&field, &format!("Объём за {} год", v.year), &v.amount) {
            Ok(d) => parsed_volumes.push((v.year, d)),
            Err(e) => problems.push(e),
        }
    }
    if input.volumes.is_empty() {
        problems.push(CoreError::field(
            "volumes",
            "Объём по годам: укажите объём экспорта хотя бы за один год (обычно — год контракта)",
        ));
    }
    if let Some(total) = total {
        let sum: Decimal = parsed_volumes.iter().map(|(_, a)| *a).sum();
        if sum > total {
            warnings.push(format!(
                "Сумма объёмов по годам ({}) больше суммы контракта ({}) — проверьте цифры",
                sum.normalize(),
                total.normalize()
            ));
        }
    }
    let mut conversion = None;
    let mut volumes = Vec::new();
    if let (Some(total), true) = (total, currency_ok) {
        match rates::convert(conn, &currency, input.contract_date, total) {
            Ok(c) => {
                volumes = parsed_volumes
                    .iter()
                    .map(|(year, a)| {
                        Ok(ExportVolume {
                            year: *year,
                            amount: *a,
                            usd_thousand: rates::to_usd_thousand(*a, c.rate_currency, c.rate_usd)?,
                        })
                    })
                    .collect::<Result<_>>()?;
                conversion = Some(c);
            }
            Err(e) if e.code == ErrorCode::MissingRate => problems.push(e),
            Err(e) => return Err(e),
        }
    }
    let cal = calendar::store::load(conn)?;
    let due = due_on(&cal, input.contract_date);
    let late = due.is_some_and(|d| input.reported_on > d);
    if late {
        warnings.push(format!(
            "Сообщено позже срока: {} рабочих дней после даты контракта истекли {}",
            REPORT_WORKING_DAYS,
            due.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default()
        ));
    }
    if due.is_none() {
        warnings.push(format!(
            "Срок сообщения не рассчитан: в производственном календаре нет {} года",
            input.contract_date.year()
        ));
    }
    Ok(ExportContractCheck {
        problems,
        warnings,
        conversion,
        volumes,
        due_on: due,
        late,
    })
}
