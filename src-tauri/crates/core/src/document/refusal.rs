//! The refusal notice (уведомление об отказе): which application, which service, and the reason paragraph of §6.1 of the services regulation.

use chrono::{NaiveDate, NaiveDateTime};

use super::parties::{self, SmeParty, CENTRE_FIELDS, SME_FIELDS};
use super::template::{Fields, Schema, Template};
use super::{dates, Block, Cell, Document, Meta, Row, Table};
use crate::centre::CentreSettings;
use crate::error::Result;

pub const DEFAULT_TEMPLATE: &str = include_str!("../../../../../assets/templates/refusal.txt");

/// The grounds of §6.1, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalReason {
    /// 6.1.1 — the applicant does not meet the requirements of section 4.
    NotEligible,
    /// 6.1.2 — no funding or the year's limits are exhausted.
    NoFunding,
    /// 6.1.3 — documents missing or false information.
    Documents,
    /// 6.1.4 — cofinancing not paid on time.
    CofinancingNotPaid,
    /// 6.1.5 — three services in three years without an export contract.
    NoExportResult,
}

impl RefusalReason {
    /// The reason paragraph, as the regulation words it.
    pub fn paragraph(self) -> &'static str {
        match self {
            RefusalReason::NotEligible => {
                "пункт 6.1.1 Регламента — заявитель не соответствует требованиям раздела 4 Регламента."
            }
            RefusalReason::NoFunding => {
                "пункт 6.1.2 Регламента — отсутствует финансирование или исчерпаны лимиты средств текущего года на эту услугу."
            }
            RefusalReason::Documents => {
                "пункт 6.1.3 Регламента — не представлены необходимые документы или представлены недостоверные сведения."
            }
            RefusalReason::CofinancingNotPaid => {
                "пункт 6.1.4 Регламента — не оплачено софинансирование в срок, установленный соглашением или договором с исполнителем."
            }
            RefusalReason::NoExportResult => {
                "пункт 6.1.5 Регламента — в течение 3 лет до обращения заявитель получил не менее 3 самостоятельных и (или) комплексных услуг и не заключил по их результатам ни одного экспортного контракта."
            }
        }
    }
}

/// Everything a refusal notice prints.
#[derive(Debug, Clone, PartialEq)]
pub struct RefusalDoc {
    pub centre: CentreSettings,
    pub sme: SmeParty,
    pub number: String,
    pub date: NaiveDate,
    pub application_number: String,
    pub application_date: NaiveDate,
    pub service_code: String,
    pub service_title: String,
    pub reason: RefusalReason,
    /// Staff's explanation (which requirement, which document); may be empty.
    pub details: String,
}

pub fn schema() -> Schema {
    let mut fields: Vec<(&str, &str)> = CENTRE_FIELDS.iter().chain(SME_FIELDS).copied().collect();
    fields.extend([
        ("refusal.number", "исходящий номер уведомления"),
        ("refusal.date_long", "дата уведомления: «15» марта 2025 г."),
        ("refusal.date_short", "дата уведомления: 15.03.2025"),
        ("refusal.reason", "основание отказа — абзац пункта 6.1 Регламента"),
        ("refusal.details", "пояснение сотрудника (может быть пустым)"),
        ("application.number", "номер заявки"),
        ("application.date_short", "дата заявки: 15.03.2025"),
        ("service.code", "код услуги в перечне"),
        ("service.title", "наименование услуги"),
    ]);
    Schema {
        kind: "уведомление об отказе",
        fields,
        inserts: &[("подпись", "подпись руководителя Центра")],
    }
}

fn fields(r: &RefusalDoc) -> Fields {
    let mut f = Fields::new();
    parties::centre_fields(&r.centre, &mut f);
    parties::sme_fields(&r.sme, &mut f);
    f.insert("refusal.number", r.number.clone());
    f.insert("refusal.date_long", dates::long(r.date));
    f.insert("refusal.date_short", dates::short(r.date));
    f.insert("refusal.reason", r.reason.paragraph().into());
    f.insert("refusal.details", r.details.clone());
    f.insert("application.number", r.application_number.clone());
    f.insert("application.date_short", dates::short(r.application_date));
    f.insert("service.code", r.service_code.clone());
    f.insert("service.title", r.service_title.clone());
    f
}

/// The head's signature on the right of their position, kept together.
pub(crate) fn head_signature(c: &CentreSettings) -> Block {
    let mut t = Table::new(
        vec![95.0, 75.0],
        vec![],
        vec![Row::new(vec![
            Cell::new(format!("{}\n{}", parties::capitalise(&c.head_position), c.short_name)),
            Cell::new(format!("\n_______________ / {} /", parties::initials(&c.head_name))).right(),
        ])],
    );
    t.borders = false;
    t.size = 12.0;
    Block::KeepTogether(vec![Block::Space(18.0), Block::Table(t)])
}

pub fn document(r: &RefusalDoc, template: Option<&str>, created: NaiveDateTime) -> Result<Document> {
    let t = Template::parse(&schema(), template.unwrap_or(DEFAULT_TEMPLATE))?;
    let blocks = t.render(&fields(r), &mut |name| match name {
        "подпись" => vec![head_signature(&r.centre)],
        _ => Vec::new(),
    });
    Ok(Document {
        meta: Meta {
            title: format!("Уведомление об отказе № {} от {}", r.number, dates::short(r.date)),
            author: r.centre.short_name.clone(),
            subject: format!("Отказ {} в услуге «{}»", r.sme.short_name, r.service_title),
            created,
        },
        sections: vec![blocks],
    })
}

pub fn pdf(r: &RefusalDoc, template: Option<&str>, created: NaiveDateTime) -> Result<Vec<u8>> {
    super::render(&document(r, template, created)?)
}
