//! The registry of businesses the centre serves (реестр СМСП): the SME record, its validation by kind, and its storage.

pub mod export;
pub mod import_table;
pub mod personal_data;
pub(crate) mod search;
mod store;

pub use search::{fold, list, SearchCache, SmeListItem, SmePage, SmeQuery, SmeSort, COUNT_LIMIT, SERVER_COUNT};
pub use store::{add, get, get_by_inn, update};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::centre::validate_email;
use crate::error::{CoreError, Problems};
use crate::ident::{self, InnKind};

/// Legal form of a support recipient (§4.1 of the regulation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SmeKind {
    /// Юридическое лицо (ЮЛ).
    LegalEntity,
    /// Индивидуальный предприниматель (ИП).
    SoleProprietor,
    /// Глава крестьянского (фермерского) хозяйства (КФХ).
    FarmHead,
    /// Самозанятый — плательщик налога на профессиональный доход (НПД).
    SelfEmployed,
}

impl SmeKind {
    pub const ALL: [SmeKind; 4] = [
        SmeKind::LegalEntity,
        SmeKind::SoleProprietor,
        SmeKind::FarmHead,
        SmeKind::SelfEmployed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SmeKind::LegalEntity => "legal_entity",
            SmeKind::SoleProprietor => "sole_proprietor",
            SmeKind::FarmHead => "farm_head",
            SmeKind::SelfEmployed => "self_employed",
        }
    }

    pub fn parse(s: &str) -> Option<SmeKind> {
        SmeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Russian name as shown in the UI and documents.
    pub fn label(self) -> &'static str {
        match self {
            SmeKind::LegalEntity => "Юридическое лицо",
            SmeKind::SoleProprietor => "Индивидуальный предприниматель",
            SmeKind::FarmHead => "Глава КФХ",
            SmeKind::SelfEmployed => "Самозанятый (НПД)",
        }
    }

    /// A natural person: INN of 12 digits, name as surname/name/patronymic, consent to personal data.
    pub fn is_person(self) -> bool {
        !matches!(self, SmeKind::LegalEntity)
    }
}

/// Category in the unified SME registry (категория субъекта МСП).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SmeCategory {
    Micro,
    Small,
    Medium,
}

impl SmeCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            SmeCategory::Micro => "micro",
            SmeCategory::Small => "small",
            SmeCategory::Medium => "medium",
        }
    }

    pub fn parse(s: &str) -> Option<SmeCategory> {
        [SmeCategory::Micro, SmeCategory::Small, SmeCategory::Medium]
            .into_iter()
            .find(|c| c.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            SmeCategory::Micro => "Микропредприятие",
            SmeCategory::Small => "Малое предприятие",
            SmeCategory::Medium => "Среднее предприятие",
        }
    }
}

/// Export experience of the business, asked at the first contact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportExperience {
    #[default]
    None,
    OneOff,
    Regular,
}

impl ExportExperience {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportExperience::None => "none",
            ExportExperience::OneOff => "one_off",
            ExportExperience::Regular => "regular",
        }
    }

    pub fn parse(s: &str) -> Option<ExportExperience> {
        [
            ExportExperience::None,
            ExportExperience::OneOff,
            ExportExperience::Regular,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// What a form or an import sends to create or change an SME. Empty strings mean "not given".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SmeInput {
    pub kind: SmeKind,
    pub full_name: String,
    pub short_name: String,
    pub last_name: String,
    pub first_name: String,
    pub patronymic: String,
    pub inn: String,
    /// ОГРН for a legal entity, ОГРНИП for a sole proprietor or farm head; empty for the self-employed.
    pub ogrn: String,
    pub kpp: String,
    pub category: Option<SmeCategory>,
    pub registry_included_on: Option<NaiveDate>,
    pub region_code: String,
    pub legal_address: String,
    pub okved_main: String,
    /// Additional OKVED codes separated by commas.
    pub okved_extra: String,
    pub products: String,
    /// HS codes (ТН ВЭД) of the products, separated by commas.
    pub hs_codes: String,
    pub target_countries: String,
    pub export_experience: ExportExperience,
    pub head_position: String,
    pub head_name: String,
    pub contact_person: String,
    pub phone: String,
    pub email: String,
    /// Date of the person's consent to personal-data processing (persons only).
    pub pd_consent_on: Option<NaiveDate>,
    pub notes: String,
}

/// The name a business goes by in lists, the journal and messages — its short name, else its full
/// name — in SQL, of the `sme` row named `$row` (a literal, so that queries can `concat!` it);
/// [`SmeInput::shown_name`] in Rust.
macro_rules! shown_name_sql {
    () => {
        "COALESCE(NULLIF(short_name, ''), full_name)"
    };
    ($row:literal) => {
        concat!("COALESCE(NULLIF(", $row, ".short_name, ''), ", $row, ".full_name)")
    };
}
pub(crate) use shown_name_sql;

impl SmeInput {
    /// The name the business goes by: its short name, else its full name (`shown_name_sql!`).
    pub fn shown_name(&self) -> &str {
        if self.short_name.trim().is_empty() {
            &self.full_name
        } else {
            &self.short_name
        }
    }

    /// A minimal input: the kind, the name and the INN; everything else empty.
    pub fn new(kind: SmeKind, full_name: &str, inn: &str) -> Self {
        SmeInput {
            kind,
            full_name: full_name.into(),
            short_name: String::new(),
            last_name: String::new(),
            first_name: String::new(),
            patronymic: String::new(),
            inn: inn.into(),
            ogrn: String::new(),
            kpp: String::new(),
            category: None,
            registry_included_on: None,
            region_code: String::new(),
            legal_address: String::new(),
            okved_main: String::new(),
            okved_extra: String::new(),
            products: String::new(),
            hs_codes: String::new(),
            target_countries: String::new(),
            export_experience: ExportExperience::None,
            head_position: String::new(),
            head_name: String::new(),
            contact_person: String::new(),
            phone: String::new(),
            email: String::new(),
            pd_consent_on: None,
            notes: String::new(),
        }
    }

    /// The same input with surrounding spaces removed from every text field.
    pub fn trimmed(&self) -> SmeInput {
        let mut v = serde_json::to_value(self).expect("input serialises");
        for (_, field) in v.as_object_mut().expect("a struct").iter_mut() {
            if let Some(text) = field.as_str() {
                *field = text.trim().into();
            }
        }
        serde_json::from_value(v).expect("same shape")
    }
}

/// A stored SME.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Sme {
    pub id: i64,
    #[serde(flatten)]
    #[ts(flatten)]
    pub input: SmeInput,
    pub created_at: String,
    pub updated_at: String,
}

fn validate_okved(code: &str) -> Result<(), String> {
    let parts: Vec<&str> = code.split('.').collect();
    let ok = parts.len() <= 3
        && parts[0].len() == 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "код «{code}» не похож на код ОКВЭД (пример: 10.89 или 46.38.2)"
        ))
    }
}

fn validate_hs(code: &str) -> Result<(), String> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.bytes().all(|b| b.is_ascii_digit()) && matches!(digits.len(), 2 | 4 | 6 | 8 | 10) {
        Ok(())
    } else {
        Err(format!(
            "код «{code}» не похож на код ТН ВЭД (2, 4, 6, 8 или 10 цифр, например 0303 или 4407109100)"
        ))
    }
}

fn validate_phone(phone: &str) -> Result<(), String> {
    // Digits with the usual separators; «доб.» for an extension; several numbers separated by commas.
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().,".contains(c) || "доб".contains(c));
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if allowed && digits >= 10 {
        Ok(())
    } else {
        Err(format!(
            "«{phone}» не похоже на номер телефона (пример: +7 (4212) 12-34-56)"
        ))
    }
}

fn list_items(value: &str) -> impl Iterator<Item = &str> {
    value.split([',', ';']).map(str::trim).filter(|s| !s.is_empty())
}

/// Longest names and contacts a business may have. The longest full names in the state register
/// are a few hundred characters; the bounds keep the search text of a business within what the
/// server's sort index holds (PostgreSQL's B-tree takes entries up to 2 704 bytes).
const MAX_NAME: usize = 300;
const MAX_SHORT: usize = 150;
const MAX_PERSON: usize = 100;
const MAX_PHONE: usize = 60;
const MAX_EMAIL: usize = 254;

/// Every problem of the form at once, each naming its field. Rules depend on the kind:
/// a legal entity has a 10-digit INN, ОГРН and КПП; a person a 12-digit INN and ОГРНИП;
/// the self-employed have the INN only.
pub fn validate(input: &SmeInput, today: NaiveDate) -> Vec<CoreError> {
    let s = input.trimmed();
    let mut p = Problems(crate::fields::check_record(&s));
    if s.full_name.is_empty() {
        p.push("full_name", "Полное наименование: не заполнено");
    }
    for (field, label, max, value) in [
        ("full_name", "Полное наименование", MAX_NAME, &s.full_name),
        ("short_name", "Сокращённое наименование", MAX_SHORT, &s.short_name),
        ("contact_person", "Контактное лицо", MAX_PERSON, &s.contact_person),
        ("head_name", "ФИО руководителя", MAX_PERSON, &s.head_name),
        ("phone", "Телефон", MAX_PHONE, &s.phone),
        ("email", "Электронная почта", MAX_EMAIL, &s.email),
    ] {
        let n = value.chars().count();
        if n > max {
            p.push(
                field,
                format!("{label}: не длиннее {max} символов (сейчас {n}) — сократите"),
            );
        }
    }
    match ident::validate_inn(&s.inn) {
        Err(e) => p.check::<()>("inn", "ИНН", Err(e)),
        Ok(InnKind::Organisation) if s.kind.is_person() => p.push(
            "inn",
            format!(
                "ИНН: у вида «{}» ИНН из 12 цифр, а введено 10 — это ИНН организации",
                s.kind.label()
            ),
        ),
        Ok(InnKind::Person) if !s.kind.is_person() => p.push(
            "inn",
            "ИНН: у юридического лица ИНН из 10 цифр, а введено 12 — это ИНН физического лица",
        ),
        Ok(_) => {}
    }
    if !s.ogrn.is_empty() {
        match s.kind {
            SmeKind::LegalEntity => p.check("ogrn", "ОГРН", ident::validate_ogrn(&s.ogrn)),
            SmeKind::SoleProprietor | SmeKind::FarmHead => p.check("ogrn", "ОГРНИП", ident::validate_ogrnip(&s.ogrn)),
            SmeKind::SelfEmployed => p.push("ogrn", "ОГРН: у самозанятого нет ОГРН/ОГРНИП — оставьте поле пустым"),
        }
    }
    if !s.kpp.is_empty() {
        if s.kind == SmeKind::LegalEntity {
            p.check("kpp", "КПП", ident::validate_kpp(&s.kpp));
        } else {
            p.push("kpp", "КПП: есть только у юридических лиц — оставьте поле пустым");
        }
    }
    if s.kind == SmeKind::SelfEmployed && s.category.is_some() {
        p.push(
            "category",
            "Категория: самозанятые не входят в реестр МСП и категории не имеют",
        );
    }
    if !s.region_code.is_empty() {
        p.check(
            "region_code",
            "Код региона",
            ident::validate_region_code(&s.region_code),
        );
    }
    for (field, date, label) in [
        (
            "registry_included_on",
            s.registry_included_on,
            "Дата включения в реестр МСП",
        ),
        (
            "pd_consent_on",
            s.pd_consent_on,
            "Дата согласия на обработку персональных данных",
        ),
    ] {
        if date.is_some_and(|d| d > today) {
            p.push(field, format!("{label}: дата ещё не наступила — проверьте год"));
        }
    }
    if s.pd_consent_on.is_some() && !s.kind.is_person() {
        p.push(
            "pd_consent_on",
            "Согласие на обработку персональных данных даёт физическое лицо — для организации оставьте пустым",
        );
    }
    if !s.okved_main.is_empty() {
        p.check("okved_main", "Основной ОКВЭД", validate_okved(&s.okved_main));
    }
    for code in list_items(&s.okved_extra) {
        p.check("okved_extra", "Дополнительные ОКВЭД", validate_okved(code));
    }
    for code in list_items(&s.hs_codes) {
        p.check("hs_codes", "Коды ТН ВЭД", validate_hs(code));
    }
    if !s.phone.is_empty() {
        p.check("phone", "Телефон", validate_phone(&s.phone));
    }
    if !s.email.is_empty() {
        p.check("email", "Электронная почта", validate_email(&s.email));
    }
    p.0
}

#[cfg(test)]
mod tests;
