//! The registry extract (выписка из реестра получателей поддержки) for one business: its details and every service, agreement and act with their amounts, in a table that runs over as many pages as it needs.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::items::{total_fields, Totals, TOTAL_FIELDS};
use super::parties::{self, SmeParty, CENTRE_FIELDS, SME_FIELDS};
use super::refusal::head_signature;
use super::template::{Fields, Schema, Template};
use super::{dates, Block, Cell, Document, Meta, Row, Table};
use crate::centre::CentreSettings;
use crate::error::Result;
use crate::money::format_amount;

pub const DEFAULT_TEMPLATE: &str = include_str!("../../../../../assets/templates/extract.txt");

/// One line of the extract: a service given to the business and its documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractRow {
    pub service_code: String,
    pub service_title: String,
    pub agreement_number: String,
    pub agreement_date: NaiveDate,
    /// `None` while the service is not closed by an act.
    pub act: Option<(String, NaiveDate)>,
    pub cost: Decimal,
    pub sme_share: Decimal,
    pub centre_share: Decimal,
}

/// Everything an extract prints.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtractDoc {
    pub centre: CentreSettings,
    pub sme: SmeParty,
    /// SME category as the registry shows it (`микропредприятие`).
    pub sme_category: String,
    /// The day the extract is made as of.
    pub date: NaiveDate,
    pub rows: Vec<ExtractRow>,
}

pub fn schema() -> Schema {
    let mut fields: Vec<(&str, &str)> = CENTRE_FIELDS
        .iter()
        .chain(SME_FIELDS)
        .chain(TOTAL_FIELDS)
        .copied()
        .collect();
    fields.extend([
        ("extract.date_long", "дата выписки: «15» марта 2025 г."),
        ("extract.date_short", "дата выписки: 15.03.2025"),
        ("extract.rows", "число строк реестра"),
        ("sme.category", "категория субъекта МСП"),
    ]);
    Schema {
        kind: "выписка",
        fields,
        inserts: &[
            ("сведения", "таблица сведений о получателе"),
            (
                "реестр",
                "таблица услуг, соглашений и актов (заголовок повторяется на каждой странице)",
            ),
            ("подпись", "подпись руководителя Центра"),
        ],
    }
}

fn totals(rows: &[ExtractRow]) -> Totals {
    rows.iter().fold(Totals::default(), |t, r| Totals {
        cost: t.cost + r.cost,
        sme_share: t.sme_share + r.sme_share,
        centre_share: t.centre_share + r.centre_share,
    })
}

fn details(e: &ExtractDoc) -> Block {
    let rows = [
        ("Наименование", e.sme.full_name.as_str()),
        ("ИНН", e.sme.inn.as_str()),
        (
            if e.sme.ogrn.len() == 15 {
                "ОГРНИП"
            } else {
                "ОГРН"
            },
            e.sme.ogrn.as_str(),
        ),
        ("Категория", e.sme_category.as_str()),
        ("Адрес", e.sme.address.as_str()),
    ];
    let rows = rows
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| Row::new(vec![Cell::new(*k).bold(), Cell::new(*v)]))
        .collect();
    let mut t = Table::new(vec![40.0, 130.0], vec![], rows);
    t.size = 11.0;
    Block::Table(t)
}

fn registry(rows: &[ExtractRow]) -> Block {
    let head = [
        "№",
        "Услуга",
        "Соглашение",
        "Акт",
        "Стоимость, руб.",
        "Доля получателя, руб.",
        "Доля Центра, руб.",
    ]
    .into_iter()
    .map(|h| Cell::new(h).bold().centre().middle())
    .collect();
    let mut body: Vec<Row> = rows
        .iter()
        .enumerate()
        .map(|(n, r)| {
            Row::new(vec![
                Cell::new((n + 1).to_string()).centre(),
                Cell::new(format!("{} {}", r.service_code, r.service_title)),
                Cell::new(format!(
                    "№ {}\nот {}",
                    r.agreement_number,
                    dates::short(r.agreement_date)
                )),
                Cell::new(match &r.act {
                    Some((num, d)) => format!("№ {num}\nот {}", dates::short(*d)),
                    None => "не закрыта".into(),
                }),
                Cell::new(format_amount(r.cost)).right(),
                Cell::new(format_amount(r.sme_share)).right(),
                Cell::new(format_amount(r.centre_share)).right(),
            ])
        })
        .collect();
    let t = totals(rows);
    body.push(Row::new(vec![
        Cell::new("Итого").bold().right().span(4),
        Cell::new(format_amount(t.cost)).bold().right(),
        Cell::new(format_amount(t.sme_share)).bold().right(),
        Cell::new(format_amount(t.centre_share)).bold().right(),
    ]));
    let mut table = Table::new(
        vec![9.0, 46.0, 24.0, 24.0, 23.0, 22.0, 22.0],
        vec![Row::new(head)],
        body,
    );
    table.size = 9.5;
    Block::Table(table)
}

fn fields(e: &ExtractDoc) -> Fields {
    let mut f = Fields::new();
    parties::centre_fields(&e.centre, &mut f);
    parties::sme_fields(&e.sme, &mut f);
    total_fields(&totals(&e.rows), &mut f);
    f.insert("extract.date_long", dates::long(e.date));
    f.insert("extract.date_short", dates::short(e.date));
    f.insert("extract.rows", e.rows.len().to_string());
    f.insert("sme.category", e.sme_category.clone());
    f
}

pub fn document(e: &ExtractDoc, template: Option<&str>, created: NaiveDateTime) -> Result<Document> {
    let t = Template::parse(&schema(), template.unwrap_or(DEFAULT_TEMPLATE))?;
    let blocks = t.render(&fields(e), &mut |name| match name {
        "сведения" => vec![details(e)],
        "реестр" => vec![registry(&e.rows)],
        "подпись" => vec![head_signature(&e.centre)],
        _ => Vec::new(),
    });
    Ok(Document {
        meta: Meta {
            title: format!("Выписка из реестра получателей поддержки: {}", e.sme.short_name),
            author: e.centre.short_name.clone(),
            subject: format!("Выписка на {}", dates::short(e.date)),
            created,
        },
        sections: vec![blocks],
    })
}

pub fn pdf(e: &ExtractDoc, template: Option<&str>, created: NaiveDateTime) -> Result<Vec<u8>> {
    super::render(&document(e, template, created)?)
}
