//! The registry of support recipients (реестр получателей поддержки, §2.14) for a period: one entry per support given (a signed act, a consultation, the attendance of a seminar), with the recipient, the form and kind of support, its amount and term, and violations — as PDF, XLSX and CSV.
//!
//! **Interpretation**: the amount of support is the centre's share of the act (what the centre
//! paid for the SME); the term runs from the day the agreement took effect (the signed original
//! received) to the act's date; the form of support is «информационная» for catalog rows 1 and 3.x
//! («консультационная» for row 2, consulting on an application),
//! «образовательная» for events (4.1.x) and «консультационная» for the services under agreements
//! (4.2–5.9); a violation is a termination of the agreement (e.g. §6.1.4, cofinancing not paid).
//! A consultation (rows 1, 2, 3.x) and the attendance of a seminar (4.1.x) are entries too, with
//! no amount (support given in a non-financial form — a seminar's cost is the centre's expense on
//! the event, not a sum given to one business), the day of the consultation or the event's days as
//! the term, and no agreement or act. Entries are ordered by date and numbered in that order.

use std::collections::HashMap;
use std::io::Write;

use crate::db::Db;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::data;
use super::xlsx::{workbook, SheetSpec, XCell};
use super::yearly_pdf::head_row;
use crate::catalog::{self, ServiceKind};
use crate::document::{self, Align, Block, Cell, Document, Meta, Para, Row, Span, Table};
use crate::error::{CoreError, ErrorCode, Result};
use crate::money::format_amount;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecipientEntry {
    /// Record number within the registry extract, from 1.
    pub number: u32,
    /// The day support was given (the act's date).
    pub date: NaiveDate,
    pub sme_id: i64,
    pub sme_name: String,
    pub inn: String,
    pub sme_kind: String,
    pub sme_category: String,
    pub form: String,
    /// The catalog row and its name.
    pub support_kind: String,
    #[ts(type = "string")]
    pub amount: Decimal,
    /// «06.03.2025 – 20.04.2025».
    pub term: String,
    pub agreement_number: String,
    pub act_number: String,
    /// Empty when none.
    pub violations: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecipientRegistry {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub entries: Vec<RecipientEntry>,
    #[ts(type = "string")]
    pub total: Decimal,
}

fn form_of(kind: Option<ServiceKind>) -> &'static str {
    match kind {
        Some(ServiceKind::Informational) => "Информационная",
        Some(ServiceKind::Event) => "Образовательная",
        _ => "Консультационная",
    }
}

/// An agreement's start (signed original received), date, catalog version, termination day and reason.
type AgreementTerms = (Option<NaiveDate>, NaiveDate, i64, Option<NaiveDate>, String);

/// The registry for the period `from`..=`to`.
pub fn registry(conn: &Db, from: NaiveDate, to: NaiveDate) -> Result<RecipientRegistry> {
    if from > to {
        return Err(CoreError::field(
            "from",
            format!(
                "Период с {} по {}: начало позже конца. Укажите начало не позже конца периода.",
                from.format("%d.%m.%Y"),
                to.format("%d.%m.%Y")
            ),
        ));
    }
    let acts = data::signed_acts(conn, &from.to_string(), &to.to_string())?;
    let free = data::free_support(conn, &from.to_string(), &to.to_string())?;
    let smes = data::smes(
        conn,
        acts.iter()
            .map(|a| a.sme_id)
            .chain(free.iter().map(|f| f.sme_id))
            .collect(),
    )?;
    let mut agreements: HashMap<i64, AgreementTerms> = HashMap::new();
    let mut catalogs: HashMap<i64, catalog::ServiceCatalog> = HashMap::new();
    let mut entries = Vec::with_capacity(acts.len() + free.len());
    for a in &acts {
        if let std::collections::hash_map::Entry::Vacant(e) = agreements.entry(a.agreement_id) {
            e.insert(conn.query_row(
                "SELECT signed_on, date, catalog_version_id, terminated_on, termination_reason FROM agreement WHERE id = ?1",
                [a.agreement_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?);
        }
        let (signed_on, agreement_date, version, terminated_on, reason) = &agreements[&a.agreement_id];
        if !catalogs.contains_key(version) {
            catalogs.insert(*version, catalog::get_version(conn, *version)?);
        }
        let service = catalogs[version].service(&a.service_code);
        let sme = smes.get(&a.sme_id);
        let start = signed_on.unwrap_or(*agreement_date);
        entries.push(RecipientEntry {
            number: 0,
            date: a.date,
            sme_id: a.sme_id,
            sme_name: sme.map(|s| s.name.clone()).unwrap_or_default(),
            inn: sme.map(|s| s.inn.clone()).unwrap_or_default(),
            sme_kind: sme.map(|s| s.kind.label().to_owned()).unwrap_or_default(),
            sme_category: sme.and_then(|s| s.category).map_or("—", |c| c.label()).to_owned(),
            form: form_of(service.map(|s| s.kind)).to_owned(),
            support_kind: format!("{} {}", a.service_code, service.map_or("", |s| s.name.as_str())),
            amount: a.centre_share,
            term: format!("{} – {}", start.format("%d.%m.%Y"), a.date.format("%d.%m.%Y")),
            agreement_number: a.agreement_number.clone(),
            act_number: a.act_number.clone(),
            violations: match terminated_on {
                Some(on) => format!("Соглашение расторгнуто {}: {}", on.format("%d.%m.%Y"), reason),
                None => String::new(),
            },
        });
    }
    let names = data::service_names(conn, to)?;
    for f in &free {
        let sme = smes.get(&f.sme_id);
        let service = names.get(&f.service_code).map_or("", String::as_str);
        let (form, what) = match f.source {
            // Row 2 is consulting on the terms of export on an application; 1 and 3.x inform.
            data::FreeSource::Consultation if f.service_code == "2" => ("Консультационная", "тема"),
            data::FreeSource::Consultation => (form_of(Some(ServiceKind::Informational)), "тема"),
            data::FreeSource::Event => (form_of(Some(ServiceKind::Event)), "мероприятие"),
        };
        entries.push(RecipientEntry {
            number: 0,
            date: f.date,
            sme_id: f.sme_id,
            sme_name: sme.map(|s| s.name.clone()).unwrap_or_default(),
            inn: sme.map(|s| s.inn.clone()).unwrap_or_default(),
            sme_kind: sme.map(|s| s.kind.label().to_owned()).unwrap_or_default(),
            sme_category: sme.and_then(|s| s.category).map_or("—", |c| c.label()).to_owned(),
            form: form.to_owned(),
            support_kind: format!("{} {service}; {what}: «{}»", f.service_code, f.subject),
            amount: Decimal::ZERO,
            term: if f.starts_on == f.date {
                f.date.format("%d.%m.%Y").to_string()
            } else {
                format!("{} – {}", f.starts_on.format("%d.%m.%Y"), f.date.format("%d.%m.%Y"))
            },
            agreement_number: String::new(),
            act_number: String::new(),
            violations: String::new(),
        });
    }
    // Stable: on one day the acts come first, then consultations and events as read.
    entries.sort_by_key(|e| e.date);
    for (n, e) in entries.iter_mut().enumerate() {
        e.number = n as u32 + 1;
    }
    let total = crate::money::kopecks(entries.iter().map(|e| e.amount).sum());
    Ok(RecipientRegistry {
        from,
        to,
        entries,
        total,
    })
}

fn title(r: &RecipientRegistry) -> String {
    format!(
        "Реестр получателей поддержки за период с {} по {}",
        r.from.format("%d.%m.%Y"),
        r.to.format("%d.%m.%Y")
    )
}

/// The registry as a PDF.
pub fn pdf(r: &RecipientRegistry, centre_name: &str, created: NaiveDateTime) -> Result<Vec<u8>> {
    let mut rows: Vec<Row> = r
        .entries
        .iter()
        .map(|e| {
            Row::new(vec![
                Cell::new(format!("{}\n{}", e.number, e.date.format("%d.%m.%Y"))),
                Cell::new(format!(
                    "{}\nИНН {}\n{}, {}",
                    e.sme_name, e.inn, e.sme_kind, e.sme_category
                )),
                Cell::new(format!("{}\n{}", e.form, e.support_kind)),
                Cell::new(format_amount(e.amount)).right(),
                Cell::new(e.term.replace(" – ", " –\n")),
                Cell::new(if e.violations.is_empty() {
                    "—".into()
                } else {
                    e.violations.clone()
                }),
            ])
        })
        .collect();
    rows.push(Row::new(vec![
        Cell::new("Итого").bold().span(3),
        Cell::new(format_amount(r.total)).right().bold(),
        Cell::new("").span(2),
    ]));
    let mut table = Table::new(
        vec![18.0, 48.0, 44.0, 22.0, 20.0, 24.0],
        vec![head_row(&[
            "№, дата записи",
            "Получатель поддержки",
            "Форма и вид поддержки",
            "Размер, руб.",
            "Срок",
            "Нарушения",
        ])],
        rows,
    );
    table.size = 8.0;
    let t = title(r);
    let doc = Document {
        meta: Meta {
            title: t.clone(),
            author: centre_name.to_owned(),
            subject: "Реестр получателей поддержки (п. 2.14)".into(),
            created,
        },
        sections: vec![vec![
            Block::Para(Para::text(Align::Centre, centre_name).size(11.0)),
            Block::Para(
                Para::new(Align::Centre, vec![Span::bold(t)])
                    .size(13.0)
                    .spacing(4.0, 8.0),
            ),
            Block::Table(table),
            Block::Para(Para::text(Align::Left, format!("Записей: {}", r.entries.len())).size(10.0)),
        ]],
    };
    document::render(&doc)
}

const COLUMNS: [&str; 13] = [
    "№ записи",
    "Дата записи",
    "Получатель",
    "ИНН",
    "Вид субъекта",
    "Категория",
    "Форма поддержки",
    "Вид поддержки",
    "Размер поддержки, руб.",
    "Срок оказания",
    "Соглашение",
    "Акт",
    "Нарушения",
];

/// The registry as XLSX.
pub fn xlsx(r: &RecipientRegistry) -> Result<Vec<u8>> {
    let widths = [
        8.0, 11.0, 36.0, 14.0, 16.0, 18.0, 18.0, 40.0, 16.0, 24.0, 14.0, 8.0, 30.0,
    ];
    let spec = SheetSpec {
        name: "Реестр",
        columns: COLUMNS.iter().copied().zip(widths).collect(),
        rows: r
            .entries
            .iter()
            .map(|e| {
                vec![
                    XCell::Count(e.number),
                    XCell::Date(e.date),
                    XCell::Text(e.sme_name.clone()),
                    XCell::Text(e.inn.clone()),
                    XCell::Text(e.sme_kind.clone()),
                    XCell::Text(e.sme_category.clone()),
                    XCell::Text(e.form.clone()),
                    XCell::Text(e.support_kind.clone()),
                    XCell::Money(e.amount),
                    XCell::Text(e.term.clone()),
                    XCell::Text(e.agreement_number.clone()),
                    XCell::Text(e.act_number.clone()),
                    XCell::Text(e.violations.clone()),
                ]
            })
            .collect(),
        totals: false,
    };
    workbook(&[spec])
}

/// The registry as CSV the way Excel in a Russian locale opens it (UTF-8 with BOM, `;`, decimal comma).
pub fn csv(r: &RecipientRegistry) -> Result<Vec<u8>> {
    let fail = |e: String| CoreError::new(ErrorCode::File, format!("Не удалось составить CSV: {e}"));
    let mut out = Vec::new();
    out.write_all(b"\xEF\xBB\xBF").map_err(|e| fail(e.to_string()))?;
    {
        let mut w = crate::spreadsheet::excel_csv(&mut out);
        w.write_record(COLUMNS).map_err(|e| fail(e.to_string()))?;
        for e in &r.entries {
            let text = |t: &str| crate::spreadsheet::csv_text(t).into_owned();
            w.write_record([
                e.number.to_string(),
                e.date.format("%d.%m.%Y").to_string(),
                text(&e.sme_name),
                text(&e.inn),
                text(&e.sme_kind),
                text(&e.sme_category),
                text(&e.form),
                text(&e.support_kind),
                crate::money::plain(e.amount).replace('.', ","),
                text(&e.term),
                text(&e.agreement_number),
                text(&e.act_number),
                text(&e.violations),
            ])
            .map_err(|e| fail(e.to_string()))?;
        }
        w.flush().map_err(|e| fail(e.to_string()))?;
    }
    Ok(out)
}
