//! Roles of the centre's staff and what each may change: one table, read by the core before every write (`Db::write`), by the settings screen and by the UI to grey out what a role cannot do.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, ErrorCode, Result};

/// A staff member's role (роль сотрудника).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Role {
    /// Руководитель: everything, including the decisions the regulation reserves to the head.
    Head,
    /// Специалист: the daily work with businesses.
    Specialist,
    /// Бухгалтер: payments and the budget's execution; reads everything else.
    Accountant,
    /// Наблюдатель: reads, prints and exports.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Head, Role::Specialist, Role::Accountant, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Head => "head",
            Role::Specialist => "specialist",
            Role::Accountant => "accountant",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text.trim())
    }

    /// «руководитель», «специалист», … as a word inside a sentence.
    pub fn label(self) -> &'static str {
        match self {
            Role::Head => "руководитель",
            Role::Specialist => "специалист",
            Role::Accountant => "бухгалтер",
            Role::Viewer => "наблюдатель",
        }
    }

    /// Who may do it, as said in a refusal: «руководителю», «специалисту», ….
    fn dative(self) -> &'static str {
        match self {
            Role::Head => "руководителю",
            Role::Specialist => "специалисту",
            Role::Accountant => "бухгалтеру",
            Role::Viewer => "наблюдателю",
        }
    }
}

/// A kind of change the core guards. Every write transaction names one (`Db::write`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Right {
    /// SMEs, eligibility checks, foreign buyers, export contracts and contacts about them.
    Registry,
    /// Imports of the FNS SME registry, of SME tables and of Central Bank rates.
    Imports,
    /// Deleting an FNS registry snapshot.
    DeleteSnapshot,
    /// Applications, contractors and the demand forecast.
    Applications,
    /// Agreements: drafts, amendments, starting and terminating.
    Agreements,
    /// Signing an agreement for the centre.
    SignAgreement,
    /// Acts of services rendered.
    Acts,
    /// Documents of the archive: making them, scans, marks of signing, batches.
    Documents,
    /// Payments of SMEs.
    Payments,
    /// The year's budget (смета).
    Budget,
    /// The service catalog.
    Catalog,
    /// The centre's requisites and settings: deadlines, calendar, numbering, cofinancing, backups, lock.
    Settings,
    /// Staff accounts: adding, roles, passwords, deactivation.
    Accounts,
    /// Replacing the database with a backup copy.
    Restore,
    /// Printing and exporting documents, lists and reports (recorded in the journal).
    Output,
    /// Changing one's own password.
    OwnPassword,
}

impl Right {
    pub const ALL: [Right; 16] = [
        Right::Registry,
        Right::Imports,
        Right::DeleteSnapshot,
        Right::Applications,
        Right::Agreements,
        Right::SignAgreement,
        Right::Acts,
        Right::Documents,
        Right::Payments,
        Right::Budget,
        Right::Catalog,
        Right::Settings,
        Right::Accounts,
        Right::Restore,
        Right::Output,
        Right::OwnPassword,
    ];

    /// What the right allows, as the settings' table and a refusal say it (an infinitive phrase).
    pub fn label(self) -> &'static str {
        match self {
            Right::Registry => "вести реестр СМСП, проверки соответствия, иностранных покупателей и экспортные контракты",
            Right::Imports => "загружать реестр МСП ФНС, таблицы СМСП и курсы валют ЦБ",
            Right::DeleteSnapshot => "удалять выгрузки реестра МСП ФНС",
            Right::Applications => "вести заявки, исполнителей и анализ потребности",
            Right::Agreements => "готовить соглашения: черновики, изменения, исполнение, расторжение",
            Right::SignAgreement => "подписывать соглашения от имени центра",
            Right::Acts => "оформлять и подписывать акты",
            Right::Documents => "формировать документы, прикладывать сканы, отмечать подписание",
            Right::Payments => "вносить оплаты СМСП",
            Right::Budget => "изменять смету",
            Right::Catalog => "изменять каталог услуг",
            Right::Settings => "изменять реквизиты и настройки центра (сроки, календарь, нумерацию, софинансирование, план КПЭ, резервные копии, блокировку)",
            Right::Accounts => "управлять учётными записями сотрудников",
            Right::Restore => "восстанавливать базу из резервной копии",
            Right::Output => "печатать и выгружать документы, списки и отчёты",
            Right::OwnPassword => "менять свой пароль",
        }
    }
}

/// The default table of rights (issue «Staff accounts, roles and the journal of changes»).
pub fn allows(role: Role, right: Right) -> bool {
    use Right::*;
    match role {
        Role::Head => true,
        Role::Specialist => matches!(
            right,
            Registry | Imports | Applications | Agreements | Acts | Documents | Output | OwnPassword
        ),
        Role::Accountant => matches!(right, Payments | Output | OwnPassword),
        Role::Viewer => matches!(right, Output | OwnPassword),
    }
}

/// The roles that have `right`, in the order of [`Role::ALL`].
pub fn roles_with(right: Right) -> Vec<Role> {
    Role::ALL.into_iter().filter(|r| allows(*r, right)).collect()
}

/// Refuses `right` to `role` with a message saying who may do it; nothing has been written yet.
pub fn require(role: Role, right: Right) -> Result<()> {
    if allows(role, right) {
        return Ok(());
    }
    let who: Vec<&str> = roles_with(right).into_iter().map(Role::dative).collect();
    Err(CoreError::new(
        ErrorCode::Forbidden,
        format!(
            "Недостаточно прав: {} можно только {}. Ваша роль — {}; если это нужно для работы, обратитесь к руководителю центра",
            right.label(),
            who.join(" и "),
            role.label()
        ),
    ))
}

/// One row of the rights table shown in the settings.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RightRow {
    pub right: Right,
    pub label: String,
    pub roles: Vec<Role>,
}

pub fn table() -> Vec<RightRow> {
    Right::ALL
        .into_iter()
        .map(|right| RightRow {
            right,
            label: right.label().into(),
            roles: roles_with(right),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_matches_the_issue() {
        assert!(Right::ALL.into_iter().all(|r| allows(Role::Head, r)));
        assert!(allows(Role::Specialist, Right::Agreements));
        assert!(!allows(Role::Specialist, Right::SignAgreement));
        assert!(!allows(Role::Specialist, Right::Catalog));
        assert!(!allows(Role::Specialist, Right::Payments));
        assert!(allows(Role::Accountant, Right::Payments));
        assert!(!allows(Role::Accountant, Right::Registry));
        assert!(!allows(Role::Viewer, Right::Registry));
        assert!(allows(Role::Viewer, Right::Output));
        let e = require(Role::Viewer, Right::Catalog).unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
        assert!(
            e.message.contains("изменять каталог услуг можно только руководителю"),
            "{}",
            e.message
        );
        assert!(e.message.contains("наблюдатель"));
        let e = require(Role::Specialist, Right::Payments).unwrap_err();
        assert!(e.message.contains("руководителю и бухгалтеру"), "{}", e.message);
    }
}
