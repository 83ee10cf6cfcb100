//! The attendance sheet of an event (лист регистрации участников) to print and have signed on the day: the event's title, row, dates, place and format, one line per registered participant with a signature column, and empty lines for those who come without registering.

use chrono::NaiveDateTime;

use super::participants::participants;
use super::{get, Event};
use crate::db::Db;
use crate::document::{self, Align, Block, Cell, Document, Meta, Para, Row, Span, Table};
use crate::error::Result;
use crate::report::yearly_pdf::head_row;

/// Lines left empty at the end of the sheet for participants who were not registered.
pub const SPARE_LINES: usize = 5;

fn dates(e: &Event) -> String {
    if e.input.starts_on == e.input.ends_on {
        e.input.starts_on.format("%d.%m.%Y").to_string()
    } else {
        format!(
            "{} – {}",
            e.input.starts_on.format("%d.%m.%Y"),
            e.input.ends_on.format("%d.%m.%Y")
        )
    }
}

/// The attendance sheet of event `event_id` as PDF bytes.
pub fn pdf(conn: &Db, event_id: i64, created: NaiveDateTime) -> Result<Vec<u8>> {
    let e = get(conn, event_id)?;
    // A seminar lists those registered; a mission or an exhibition the businesses with agreements.
    let people: Vec<(String, String, String)> = if super::is_seminar(&e.input.service_code) {
        participants(conn, event_id)?
            .into_iter()
            .map(|p| (p.sme_name, p.inn, p.attendee))
            .collect()
    } else {
        super::agreements(conn, event_id)?
            .into_iter()
            .filter(|a| a.status != crate::agreement::AgreementStatus::Terminated)
            .map(|a| (a.sme_name, a.inn, String::new()))
            .collect()
    };
    let centre = crate::report::centre_name(conn)?;
    let names = crate::report::data::service_names(conn, e.input.starts_on)?;
    let service = names.get(&e.input.service_code).map(String::as_str).unwrap_or("");
    let mut rows: Vec<Row> = people
        .iter()
        .enumerate()
        .map(|(n, (name, inn, attendee))| {
            Row::new(vec![
                Cell::new((n + 1).to_string()).centre(),
                Cell::new(format!("{name}\nИНН {inn}")),
                Cell::new(attendee.clone()),
                Cell::new(""),
            ])
        })
        .collect();
    rows.extend((people.len() + 1..=people.len() + SPARE_LINES).map(|n| {
        Row::new(vec![
            Cell::new(n.to_string()).centre(),
            Cell::new("\u{a0}\n\u{a0}"),
            Cell::new(""),
            Cell::new(""),
        ])
    }));
    let mut table = Table::new(
        vec![10.0, 66.0, 52.0, 42.0],
        vec![head_row(&["№", "Организация (ИП), ИНН", "ФИО участника", "Подпись"])],
        rows,
    );
    table.size = 10.0;
    let line = |label: &str, value: String| {
        Block::Para(Para::new(Align::Left, vec![Span::bold(format!("{label}: ")), Span::plain(value)]).size(11.0))
    };
    let mut blocks = vec![
        Block::Para(Para::text(Align::Centre, centre.clone()).size(11.0)),
        Block::Para(
            Para::new(Align::Centre, vec![Span::bold("ЛИСТ РЕГИСТРАЦИИ УЧАСТНИКОВ")])
                .size(14.0)
                .spacing(6.0, 2.0),
        ),
        Block::Para(
            Para::new(Align::Centre, vec![Span::bold(format!("«{}»", e.input.title))])
                .size(12.0)
                .spacing(0.0, 8.0),
        ),
        line("Услуга", format!("{} {}", e.input.service_code, service)),
        line("Дата проведения", dates(&e)),
        line("Формат", e.input.format.label().to_owned()),
    ];
    if !e.input.place.is_empty() {
        blocks.push(line("Место проведения", e.input.place.clone()));
    }
    if !e.organiser.is_empty() {
        blocks.push(line("Организатор", e.organiser.clone()));
    }
    blocks.push(Block::Space(6.0));
    blocks.push(Block::Table(table));
    blocks.push(Block::Space(14.0));
    blocks.push(Block::LeftRight {
        left: "Ответственный сотрудник ЦПЭ  ____________________".into(),
        right: format!("/ {} /", e.staff),
        size: 11.0,
    });
    let doc = Document {
        meta: Meta {
            title: format!("Лист регистрации участников: {}", e.input.title),
            author: centre,
            subject: format!("Мероприятие № {} (услуга {})", e.id, e.input.service_code),
            created,
        },
        sections: vec![blocks],
    };
    document::render(&doc)
}
