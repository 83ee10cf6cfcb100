//! The agreement (соглашение) on a standalone or complex service, printed in two copies: parties, subject items, cost and shares, payment and service terms, the export-reporting obligation of complex services, requisites and signatures.

use chrono::{NaiveDate, NaiveDateTime};

use super::items::{self, ItemLine, TOTAL_FIELDS};
use super::parties::{self, SmeParty, CENTRE_FIELDS, SME_FIELDS};
use super::template::{Fields, Schema, Template};
use super::{dates, Block, Document, Meta};
use crate::centre::CentreSettings;
use crate::error::Result;

/// The default wording, edited by the centre as a copy.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../../../../assets/templates/agreement.txt");

/// Everything an agreement prints; converted from the agreement record.
#[derive(Debug, Clone, PartialEq)]
pub struct AgreementDoc {
    pub centre: CentreSettings,
    pub sme: SmeParty,
    pub number: String,
    pub date: NaiveDate,
    pub service_code: String,
    pub service_title: String,
    pub complex: bool,
    pub items: Vec<ItemLine>,
    /// Working days the business has to pay its share.
    pub payment_days: u32,
    /// The last day of the service.
    pub deadline: NaiveDate,
}

pub fn schema() -> Schema {
    let mut fields: Vec<(&str, &str)> = CENTRE_FIELDS
        .iter()
        .chain(SME_FIELDS)
        .chain(TOTAL_FIELDS)
        .copied()
        .collect();
    fields.extend([
        ("agreement.number", "номер соглашения"),
        ("agreement.date_long", "дата соглашения: «15» марта 2025 г."),
        ("agreement.date_short", "дата соглашения: 15.03.2025"),
        (
            "agreement.deadline_long",
            "последний день оказания услуги: «31» декабря 2025 г.",
        ),
        ("agreement.payment_days", "срок оплаты доли получателя, рабочих дней"),
        (
            "agreement.payee",
            "кому платит получатель (краткое наименование Центра)",
        ),
        ("service.code", "код услуги в перечне («5.2»)"),
        ("service.title", "наименование услуги"),
        ("service.complex", "«да» для комплексной услуги (для «.если»)"),
        ("service.kind_genitive", "«самостоятельной» или «комплексной»"),
        ("service.kind_accusative", "«самостоятельную» или «комплексную»"),
    ]);
    Schema {
        kind: "соглашение",
        fields,
        inserts: &[
            ("услуги", "таблица услуг: стоимость, доли получателя и Центра, итог"),
            (
                "реквизиты",
                "адреса, реквизиты и подписи сторон (не отрывается от предыдущего текста)",
            ),
        ],
    }
}

fn fields(a: &AgreementDoc) -> Fields {
    let mut f = Fields::new();
    parties::centre_fields(&a.centre, &mut f);
    parties::sme_fields(&a.sme, &mut f);
    items::total_fields(&items::totals(&a.items), &mut f);
    f.insert("agreement.number", a.number.clone());
    f.insert("agreement.date_long", dates::long(a.date));
    f.insert("agreement.date_short", dates::short(a.date));
    f.insert("agreement.deadline_long", dates::long(a.deadline));
    f.insert("agreement.payment_days", a.payment_days.to_string());
    f.insert("agreement.payee", a.centre.short_name.clone());
    f.insert("service.code", a.service_code.clone());
    f.insert("service.title", a.service_title.clone());
    f.insert("service.complex", if a.complex { "да" } else { "" }.into());
    f.insert(
        "service.kind_genitive",
        if a.complex {
            "комплексной"
        } else {
            "самостоятельной"
        }
        .into(),
    );
    f.insert(
        "service.kind_accusative",
        if a.complex {
            "комплексную"
        } else {
            "самостоятельную"
        }
        .into(),
    );
    f
}

/// The blocks of one copy.
pub fn blocks(a: &AgreementDoc, template: &Template) -> Vec<Block> {
    template.render(&fields(a), &mut |name| match name {
        "услуги" => items::table(&a.items),
        "реквизиты" => parties::requisites_and_signatures(&a.centre, &a.sme, "Получатель"),
        _ => Vec::new(),
    })
}

/// The agreement in two copies (each a section with its own page numbers). `template` is the
/// centre's edited wording, or `None` for the default.
pub fn document(a: &AgreementDoc, template: Option<&str>, created: NaiveDateTime) -> Result<Document> {
    let t = Template::parse(&schema(), template.unwrap_or(DEFAULT_TEMPLATE))?;
    let copy = blocks(a, &t);
    Ok(Document {
        meta: Meta {
            title: format!("Соглашение № {} от {}", a.number, dates::short(a.date)),
            author: a.centre.short_name.clone(),
            subject: format!("Соглашение с {} об услуге «{}»", a.sme.short_name, a.service_title),
            created,
        },
        sections: vec![copy.clone(), copy],
    })
}

/// The agreement as PDF bytes.
pub fn pdf(a: &AgreementDoc, template: Option<&str>, created: NaiveDateTime) -> Result<Vec<u8>> {
    super::render(&document(a, template, created)?)
}
