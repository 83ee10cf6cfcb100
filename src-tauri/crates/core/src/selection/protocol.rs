//! The protocol of a competitive selection (§5.5.4) as PDF: the exhibition, the criteria, the ranking of the applications with their scores, the winners, and the head's signature line.

use chrono::NaiveDateTime;

use super::get;
use crate::db::Db;
use crate::document::{self, Align, Block, Cell, Document, Meta, Para, Row, Span, Table};
use crate::error::{CoreError, ErrorCode, Result};
use crate::report::yearly_pdf::head_row;

/// The protocol of selection `id`; refused until it is decided.
pub fn pdf(conn: &Db, id: i64, created: NaiveDateTime) -> Result<Vec<u8>> {
    let s = get(conn, id)?;
    let (Some(number), Some(decided_on)) = (s.protocol_number.clone(), s.decided_on) else {
        return Err(CoreError::new(
            ErrorCode::Rule,
            format!(
                "Отбор по выставке «{}» ещё не завершён: протокол составляется при подведении итогов",
                s.event_title
            ),
        ));
    };
    let centre = crate::centre::get(conn)?;
    let centre_name = crate::report::centre_name(conn)?;
    let n = s.input.criteria.len();
    // 170 mm of text width: place, business, the criteria sharing 66 mm, total, decision.
    let mut widths = vec![12.0, 52.0];
    let score_width = (66.0 / n as f32).min(22.0);
    widths.extend(vec![score_width; n]);
    widths.extend([16.0, 24.0]);
    let mut head: Vec<String> = vec!["Место".into(), "СМСП, ИНН".into()];
    head.extend(
        s.input
            .criteria
            .iter()
            .map(|c| format!("{} (до {})", c.name, c.max_score)),
    );
    head.extend(["Итого".into(), "Решение".into()]);
    let head_refs: Vec<&str> = head.iter().map(String::as_str).collect();
    let rows: Vec<Row> = s
        .candidates
        .iter()
        .map(|c| {
            let mut cells = vec![
                Cell::new(c.rank.map(|r| r.to_string()).unwrap_or_default()).centre(),
                Cell::new(format!("{}\nИНН {}", c.sme_name, c.inn)),
            ];
            cells.extend(c.scores.iter().map(|v| Cell::new(v.to_string()).right()));
            cells.push(Cell::new(c.total.to_string()).right().bold());
            cells.push(Cell::new(if c.winner {
                "победитель"
            } else {
                "не прошёл"
            }));
            Row::new(cells)
        })
        .collect();
    let mut table = Table::new(widths, vec![head_row(&head_refs)], rows);
    table.size = 9.0;
    let winners: Vec<String> = s
        .candidates
        .iter()
        .filter(|c| c.winner)
        .map(|c| format!("{} (ИНН {})", c.sme_name, c.inn))
        .collect();
    let exhibition = if s.exhibition.is_empty() {
        s.event_title.clone()
    } else {
        s.exhibition.clone()
    };
    let title = format!("ПРОТОКОЛ № {number}");
    let blocks = vec![
        Block::Para(Para::text(Align::Centre, centre_name.clone()).size(11.0)),
        Block::Para(Para::new(Align::Centre, vec![Span::bold(title.clone())]).size(14.0).spacing(6.0, 2.0)),
        Block::Para(
            Para::text(
                Align::Centre,
                format!(
                    "{} отбора субъектов МСП для участия в выставочно-ярмарочном мероприятии с индивидуальным стендом (п. 5.5.4 регламента)",
                    if s.input.additional { "дополнительного конкурсного" } else { "конкурсного" }
                ),
            )
            .size(11.0)
            .spacing(0.0, 6.0),
        ),
        Block::LeftRight {
            left: centre.city.clone(),
            right: document::dates::long(decided_on),
            size: 11.0,
        },
        Block::Para(
            Para::new(Align::Left, vec![Span::bold("Выставка: "), Span::plain(exhibition)])
                .size(11.0)
                .spacing(6.0, 0.0),
        ),
        Block::Para(
            Para::text(
                Align::Left,
                format!(
                    "Отбор объявлен {}, заявки принимались по {}. Поступило заявок: {}. Мест с индивидуальным стендом: {}.",
                    s.input.announced_on.format("%d.%m.%Y"),
                    s.input.deadline.format("%d.%m.%Y"),
                    s.candidates.len(),
                    s.input.places
                ),
            )
            .size(11.0),
        ),
        Block::Para(Para::text(Align::Left, "Заявки оценены по критериям порядка отбора; рейтинг:").size(11.0).spacing(4.0, 4.0)),
        Block::Table(table),
        Block::Para(
            Para::new(
                Align::Left,
                vec![Span::bold("Решение: "), Span::plain(format!("признать победителями отбора {}.", winners.join("; ")))],
            )
            .size(11.0)
            .spacing(8.0, 0.0),
        ),
        Block::Space(18.0),
        Block::LeftRight {
            left: format!(
                "{}  ____________________",
                if centre.head_position.trim().is_empty() {
                    "Руководитель ЦПЭ"
                } else {
                    centre.head_position.as_str()
                }
            ),
            right: if centre.head_name.trim().is_empty() {
                "/ ____________________ /".to_owned()
            } else {
                format!("/ {} /", centre.head_name)
            },
            size: 11.0,
        },
    ];
    document::render(&Document {
        meta: Meta {
            title: format!("{title}: конкурсный отбор, {}", s.event_title),
            author: centre_name,
            subject: "Протокол конкурсного отбора (п. 5.5.4)".into(),
            created,
        },
        sections: vec![blocks],
    })
}
