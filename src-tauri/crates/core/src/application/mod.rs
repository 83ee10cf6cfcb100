//! Applications (заявки): the request of an SME for catalog services, its document checklist, the status machine with its timeline, refusals (§6.1) and working-day deadlines per status.

mod deadline;
mod store;

pub use deadline::{
    deadline_alerts, deadline_for, deadline_of, get_deadlines, save_deadlines, ApplicationDeadline, Deadline,
    DeadlineAlert, DeadlineDays, DeadlineSettings, DeadlineState,
};
pub use store::{add, get, list, refuse, set_document, transition, update};
pub(crate) use store::{add_in, apply_transition, status_of};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, ErrorCode};

/// How the request reached the centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Channel {
    Visit,
    Email,
    Phone,
    /// Цифровая платформа МСП / личный кабинет РЭЦ.
    FederalPlatform,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Visit, Channel::Email, Channel::Phone, Channel::FederalPlatform];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Visit => "visit",
            Channel::Email => "email",
            Channel::Phone => "phone",
            Channel::FederalPlatform => "federal_platform",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Visit => "личный визит",
            Channel::Email => "электронная почта",
            Channel::Phone => "телефон",
            Channel::FederalPlatform => "федеральная платформа",
        }
    }
}

/// Статус заявки.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ApplicationStatus {
    New,
    UnderReview,
    Rework,
    Approved,
    AgreementConcluded,
    InProgress,
    Completed,
    RefusedByCentre,
    RefusedByApplicant,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 9] = [
        ApplicationStatus::New,
        ApplicationStatus::UnderReview,
        ApplicationStatus::Rework,
        ApplicationStatus::Approved,
        ApplicationStatus::AgreementConcluded,
        ApplicationStatus::InProgress,
        ApplicationStatus::Completed,
        ApplicationStatus::RefusedByCentre,
        ApplicationStatus::RefusedByApplicant,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::New => "new",
            ApplicationStatus::UnderReview => "under_review",
            ApplicationStatus::Rework => "rework",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::AgreementConcluded => "agreement_concluded",
            ApplicationStatus::InProgress => "in_progress",
            ApplicationStatus::Completed => "completed",
            ApplicationStatus::RefusedByCentre => "refused_by_centre",
            ApplicationStatus::RefusedByApplicant => "refused_by_applicant",
        }
    }

    pub fn parse(s: &str) -> Option<ApplicationStatus> {
        ApplicationStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ApplicationStatus::New => "Новая",
            ApplicationStatus::UnderReview => "На рассмотрении",
            ApplicationStatus::Rework => "На доработку",
            ApplicationStatus::Approved => "Одобрена",
            ApplicationStatus::AgreementConcluded => "Соглашение заключено",
            ApplicationStatus::InProgress => "Услуга оказывается",
            ApplicationStatus::Completed => "Завершена",
            ApplicationStatus::RefusedByCentre => "Отказ ЦПЭ",
            ApplicationStatus::RefusedByApplicant => "Отказ заявителя",
        }
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Completed | ApplicationStatus::RefusedByCentre | ApplicationStatus::RefusedByApplicant
        )
    }

    /// Statuses set by the agreement and its acts, not by hand.
    pub fn set_by_agreement(self) -> bool {
        matches!(
            self,
            ApplicationStatus::AgreementConcluded | ApplicationStatus::InProgress | ApplicationStatus::Completed
        )
    }

    /// Where an application may go from this status. A refusal (by the centre or by the
    /// applicant) is possible at any stage that is not final (§6.1: «на любом этапе»).
    pub fn next(self) -> Vec<ApplicationStatus> {
        use ApplicationStatus::*;
        let mut next = match self {
            New => vec![UnderReview],
            UnderReview => vec![Rework, Approved],
            Rework => vec![UnderReview],
            Approved => vec![AgreementConcluded],
            AgreementConcluded => vec![InProgress],
            InProgress => vec![Completed],
            Completed | RefusedByCentre | RefusedByApplicant => vec![],
        };
        if !self.is_final() {
            next.extend([RefusedByCentre, RefusedByApplicant]);
        }
        next
    }
}

/// Ok when the status machine allows `from → to`; otherwise the Russian reason.
pub fn check_transition(from: ApplicationStatus, to: ApplicationStatus) -> Result<(), CoreError> {
    let next = from.next();
    if next.contains(&to) {
        return Ok(());
    }
    let allowed = if next.is_empty() {
        "заявка закрыта, её статус больше не меняется".to_owned()
    } else {
        format!(
            "допустимо: {}",
            next.iter()
                .map(|s| format!("«{}»", s.label()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Err(CoreError {
        code: ErrorCode::Rule,
        message: format!(
            "Заявку в статусе «{}» нельзя перевести в статус «{}»: {allowed}",
            from.label(),
            to.label()
        ),
        field: Some("status".to_owned()),
    })
}

/// Основание отказа ЦПЭ (п. 6.1.1–6.1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RefusalReason {
    /// 6.1.1: does not meet §4.
    NotEligible,
    /// 6.1.2: no funding.
    NoFunding,
    /// 6.1.3: documents not provided or false information.
    Documents,
    /// 6.1.4: cofinancing not paid on time.
    CofinancingNotPaid,
    /// 6.1.5: three services without an export contract.
    ThreeServicesNoContract,
}

impl RefusalReason {
    pub const ALL: [RefusalReason; 5] = [
        RefusalReason::NotEligible,
        RefusalReason::NoFunding,
        RefusalReason::Documents,
        RefusalReason::CofinancingNotPaid,
        RefusalReason::ThreeServicesNoContract,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RefusalReason::NotEligible => "6.1.1",
            RefusalReason::NoFunding => "6.1.2",
            RefusalReason::Documents => "6.1.3",
            RefusalReason::CofinancingNotPaid => "6.1.4",
            RefusalReason::ThreeServicesNoContract => "6.1.5",
        }
    }

    /// Accepts `6.1.4` as well as `cofinancing_not_paid`.
    pub fn parse(s: &str) -> Option<RefusalReason> {
        let s = s.trim().trim_start_matches("п.").trim();
        RefusalReason::ALL.into_iter().find(|r| {
            r.as_str() == s || serde_json::to_value(r).ok().and_then(|v| v.as_str().map(|v| v == s)) == Some(true)
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            RefusalReason::NotEligible => "заявитель не соответствует требованиям раздела 4",
            RefusalReason::NoFunding => "отсутствие финансирования (исчерпаны лимиты сметы)",
            RefusalReason::Documents => "не представлены документы или представлены недостоверные сведения",
            RefusalReason::CofinancingNotPaid => "софинансирование не оплачено в установленный срок",
            RefusalReason::ThreeServicesNoContract => {
                "за 3 года получено не менее 3 услуг без заключения экспортного контракта"
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Refusal {
    pub reason: RefusalReason,
    pub text: String,
}

/// The form of a new application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApplicationInput {
    pub sme_id: i64,
    /// Catalog service code, e.g. "4.2" or "5.2".
    pub service_code: String,
    /// Requested items of the service; empty for a single-item service means the service itself.
    #[serde(default)]
    pub item_codes: Vec<String>,
    pub received_on: NaiveDate,
    pub channel: Channel,
    pub responsible_staff_id: Option<i64>,
    #[serde(default)]
    pub comment: String,
}

/// One document of the checklist and whether it was received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocumentCheck {
    pub position: u32,
    pub name: String,
    pub received_on: Option<NaiveDate>,
}

/// One entry of the timeline: who moved the application where, when, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusEvent {
    pub at: String,
    pub actor: String,
    pub from: Option<ApplicationStatus>,
    pub to: ApplicationStatus,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Application {
    pub id: i64,
    pub sme_id: i64,
    pub sme_name: String,
    pub sme_inn: String,
    pub service_code: String,
    pub item_codes: Vec<String>,
    pub received_on: NaiveDate,
    pub channel: Channel,
    pub responsible_staff_id: Option<i64>,
    pub responsible_staff_name: Option<String>,
    pub status: ApplicationStatus,
    pub status_since: NaiveDate,
    pub refusal: Option<Refusal>,
    pub documents: Vec<DocumentCheck>,
    pub timeline: Vec<StatusEvent>,
}

/// A row of the applications list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApplicationSummary {
    pub id: i64,
    pub sme_id: i64,
    pub sme_name: String,
    pub sme_inn: String,
    pub service_code: String,
    pub received_on: NaiveDate,
    pub channel: Channel,
    pub status: ApplicationStatus,
    pub status_since: NaiveDate,
    pub responsible_staff_name: Option<String>,
}

/// A status change asked for by staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TransitionInput {
    pub to: ApplicationStatus,
    #[serde(default)]
    pub comment: String,
    /// Required for «Отказ ЦПЭ».
    #[serde(default)]
    pub refusal: Option<Refusal>,
}

#[cfg(test)]
mod tests;
