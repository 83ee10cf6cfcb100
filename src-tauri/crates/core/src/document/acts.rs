//! The act of services rendered (акт оказанных услуг) — of a standalone service, a complex service, a stage, or one participant of an event — and many acts in one PDF for batch printing.

use chrono::{NaiveDate, NaiveDateTime};

use super::items::{self, ItemLine, TOTAL_FIELDS};
use super::parties::{self, SmeParty, CENTRE_FIELDS, SME_FIELDS};
use super::template::{Fields, Schema, Template};
use super::{dates, Block, Document, Meta};
use crate::centre::CentreSettings;
use crate::error::Result;

pub const DEFAULT_TEMPLATE: &str = include_str!("../../../../../assets/templates/act.txt");

/// What the act closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActKind {
    Standalone,
    /// The whole complex service.
    Complex,
    /// One stage of a complex service (поэтапное оказание).
    Stage {
        number: u32,
        title: String,
    },
}

/// Everything an act prints; converted from the act record.
#[derive(Debug, Clone, PartialEq)]
pub struct ActDoc {
    pub centre: CentreSettings,
    pub sme: SmeParty,
    pub number: String,
    pub date: NaiveDate,
    pub agreement_number: String,
    pub agreement_date: NaiveDate,
    pub service_code: String,
    pub service_title: String,
    pub kind: ActKind,
    /// The event (mission, exhibition) when the act is one participant's.
    pub event: Option<String>,
    pub items: Vec<ItemLine>,
}

pub fn schema() -> Schema {
    let mut fields: Vec<(&str, &str)> = CENTRE_FIELDS
        .iter()
        .chain(SME_FIELDS)
        .chain(TOTAL_FIELDS)
        .copied()
        .collect();
    fields.extend([
        ("act.number", "номер акта"),
        ("act.date_long", "дата акта: «15» марта 2025 г."),
        ("act.date_short", "дата акта: 15.03.2025"),
        ("act.stage_title", "« по этапу 2 „…“» для акта этапа, иначе пусто"),
        ("act.stage", "номер этапа (пусто, если акт не по этапу)"),
        ("agreement.number", "номер соглашения"),
        ("agreement.date_short", "дата соглашения: 15.03.2025"),
        ("agreement.date_long", "дата соглашения: «15» марта 2025 г."),
        ("service.code", "код услуги в перечне"),
        ("service.title", "наименование услуги"),
        ("service.complex", "«да» для комплексной услуги"),
        ("service.kind_accusative", "«самостоятельную» или «комплексную»"),
        ("event.title", "мероприятие, если акт участника мероприятия"),
    ]);
    Schema {
        kind: "акт",
        fields,
        inserts: &[
            ("услуги", "таблица оказанных услуг с итогом"),
            ("подписи", "подписи сторон (не отрывается от последнего абзаца)"),
        ],
    }
}

fn fields(a: &ActDoc) -> Fields {
    let mut f = Fields::new();
    parties::centre_fields(&a.centre, &mut f);
    parties::sme_fields(&a.sme, &mut f);
    items::total_fields(&items::totals(&a.items), &mut f);
    f.insert("act.number", a.number.clone());
    f.insert("act.date_long", dates::long(a.date));
    f.insert("act.date_short", dates::short(a.date));
    let (stage, stage_title) = match &a.kind {
        ActKind::Stage { number, title } => (number.to_string(), format!(" по этапу {number} «{title}»")),
        _ => (String::new(), String::new()),
    };
    f.insert("act.stage", stage);
    f.insert("act.stage_title", stage_title);
    f.insert("agreement.number", a.agreement_number.clone());
    f.insert("agreement.date_short", dates::short(a.agreement_date));
    f.insert("agreement.date_long", dates::long(a.agreement_date));
    f.insert("service.code", a.service_code.clone());
    f.insert("service.title", a.service_title.clone());
    let complex = a.kind != ActKind::Standalone;
    f.insert("service.complex", if complex { "да" } else { "" }.into());
    f.insert(
        "service.kind_accusative",
        if complex {
            "комплексную"
        } else {
            "самостоятельную"
        }
        .into(),
    );
    f.insert("event.title", a.event.clone().unwrap_or_default());
    f
}

/// The blocks of one act. The signatures are kept on one page with the paragraph before them.
pub fn blocks(a: &ActDoc, template: &Template) -> Vec<Block> {
    let mut out = template.render(&fields(a), &mut |name| match name {
        "услуги" => items::table(&a.items),
        "подписи" => vec![Block::Space(-1.0)],
        _ => Vec::new(),
    });
    // Replace the marker with the signatures glued to the paragraph above them.
    if let Some(i) = out.iter().position(|b| *b == Block::Space(-1.0)) {
        out.remove(i);
        let at = if i > 0 && matches!(out[i - 1], Block::Para(_)) {
            i - 1
        } else {
            i
        };
        let mut keep: Vec<Block> = out.drain(at..i).collect();
        keep.push(Block::Space(10.0));
        keep.push(parties::signatures(&a.centre, &a.sme, "Получателя"));
        out.insert(at, Block::KeepTogether(keep));
    }
    out
}

fn meta(a: &ActDoc, created: NaiveDateTime) -> Meta {
    Meta {
        title: format!("Акт № {} от {}", a.number, dates::short(a.date)),
        author: a.centre.short_name.clone(),
        subject: format!("Акт оказанных услуг: {}, «{}»", a.sme.short_name, a.service_title),
        created,
    }
}

/// One act as a document. `template` is the centre's wording or `None` for the default.
pub fn document(a: &ActDoc, template: Option<&str>, created: NaiveDateTime) -> Result<Document> {
    let t = Template::parse(&schema(), template.unwrap_or(DEFAULT_TEMPLATE))?;
    Ok(Document {
        meta: meta(a, created),
        sections: vec![blocks(a, &t)],
    })
}

pub fn pdf(a: &ActDoc, template: Option<&str>, created: NaiveDateTime) -> Result<Vec<u8>> {
    super::render(&document(a, template, created)?)
}

/// Many acts in one PDF (batch printing): each act starts on a new page and numbers its own pages.
pub fn batch_document(
    acts: &[ActDoc],
    template: Option<&str>,
    title: &str,
    created: NaiveDateTime,
) -> Result<Document> {
    let t = Template::parse(&schema(), template.unwrap_or(DEFAULT_TEMPLATE))?;
    Ok(Document {
        meta: Meta {
            title: title.to_owned(),
            author: acts.first().map(|a| a.centre.short_name.clone()).unwrap_or_default(),
            subject: format!("Акты оказанных услуг: {} шт.", acts.len()),
            created,
        },
        sections: acts.iter().map(|a| blocks(a, &t)).collect(),
    })
}

pub fn batch_pdf(acts: &[ActDoc], template: Option<&str>, title: &str, created: NaiveDateTime) -> Result<Vec<u8>> {
    super::render(&batch_document(acts, template, title, created)?)
}
