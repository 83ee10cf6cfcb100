//! The yearly report to the region as a PDF: title, the three KPIs, charts (acts and new businesses per month, budget execution per item) drawn as vector graphics, and the tables per item, month, category and kind, and the businesses with their contracts.

use chrono::NaiveDateTime;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::format_usd_thousand;
use super::targets;
use super::trace::month_name;
use super::yearly::{GroupRow, YearlyReport};
use crate::document::chart::{Chart, ChartKind, Series};
use crate::document::{self, Align, Block, Cell, Document, Meta, Para, Row, Span, Table};
use crate::error::Result;
use crate::money::format_amount;

pub(crate) const BLUE: [f32; 3] = [0.22, 0.42, 0.69];
pub(crate) const ORANGE: [f32; 3] = [0.93, 0.55, 0.2];
pub(crate) const LIGHT: [f32; 3] = [0.85, 0.88, 0.92];
pub(crate) const GREEN: [f32; 3] = [0.3, 0.62, 0.36];

pub(crate) fn heading(text: impl Into<String>) -> Block {
    Block::Para(
        Para::new(Align::Left, vec![Span::bold(text)])
            .size(13.0)
            .spacing(10.0, 4.0)
            .heading(),
    )
}

pub(crate) fn head_row(titles: &[&str]) -> Row {
    Row::new(titles.iter().map(|t| Cell::new(*t).bold().centre().middle()).collect())
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn money(d: Decimal) -> Cell {
    Cell::new(format_amount(d)).right()
}

fn count(n: u32) -> Cell {
    Cell::new(n.to_string()).right()
}

fn kpi_table(r: &YearlyReport) -> Block {
    let names = [
        "Количество субъектов МСП, получивших поддержку",
        "Количество субъектов МСП, заключивших экспортные контракты по результатам поддержки",
        "Объём поддержанного экспорта, тыс. долл. США",
    ];
    let rows = targets::plan_vs_actual(&r.kpis, &r.targets)
        .into_iter()
        .zip(names)
        .enumerate()
        .map(|(n, ((actual, plan, percent), name))| {
            let figure = |v: Decimal| {
                if n == 2 {
                    format_usd_thousand(v)
                } else {
                    v.to_string()
                }
            };
            Row::new(vec![
                Cell::new((n + 1).to_string()).centre(),
                Cell::new(name),
                Cell::new(plan.map(figure).unwrap_or_else(|| "—".into())).right(),
                Cell::new(figure(actual)).right().bold(),
                Cell::new(percent.map(targets::format_percent).unwrap_or_else(|| "—".into())).right(),
            ])
        })
        .collect();
    Block::Table(Table::new(
        vec![10.0, 86.0, 24.0, 28.0, 22.0],
        vec![head_row(&["№", "Показатель", "План", "Факт", "Исполнено"])],
        rows,
    ))
}

fn items_table(r: &YearlyReport) -> Block {
    let mut rows: Vec<Row> = r
        .items
        .iter()
        .map(|i| {
            Row::new(vec![
                Cell::new(format!("{} {}", i.service_code, i.service_name)),
                count(i.services),
                count(i.smes),
                i.participants.map_or_else(|| Cell::new("—").right(), count),
                money(i.cost),
                money(i.cofinancing_paid),
                money(i.spent),
                Cell::new(i.budget.map(format_amount).unwrap_or_else(|| "—".into())).right(),
            ])
        })
        .collect();
    let t = &r.total;
    rows.push(Row::new(vec![
        Cell::new("Итого").bold(),
        count(t.services).bold(),
        count(t.smes).bold(),
        t.participants.map_or_else(|| Cell::new("—").right(), count).bold(),
        money(t.cost).bold(),
        money(t.cofinancing_paid).bold(),
        money(t.spent).bold(),
        Cell::new(t.budget.map(format_amount).unwrap_or_else(|| "—".into()))
            .right()
            .bold(),
    ]));
    let mut table = Table::new(
        // Money columns wide enough (at 8 pt) for a bold total in the billions («1 691 220 040,00») on one line.
        vec![39.0, 12.0, 12.0, 12.0, 23.75, 23.75, 23.75, 23.75],
        vec![head_row(&[
            "Услуга",
            "Услуг",
            "СМСП",
            "Участ-ников",
            "Стоимость, руб.",
            "Оплачено СМСП, руб.",
            "Расходы ЦПЭ, руб.",
            "Смета, руб.",
        ])],
        rows,
    );
    table.size = 8.0;
    Block::Table(table)
}

fn months_table(r: &YearlyReport) -> Block {
    let mut rows: Vec<Row> = r
        .months
        .iter()
        .map(|m| {
            Row::new(vec![
                Cell::new(month_name(m.month)),
                count(m.acts),
                count(m.new_smes),
                money(m.cost),
                money(m.centre_share),
                count(m.contracts),
                Cell::new(format_usd_thousand(m.export_volume_usd_thousand)).right(),
            ])
        })
        .collect();
    let sum = |g: fn(&super::yearly::MonthRow) -> u32| r.months.iter().map(g).sum::<u32>();
    rows.push(Row::new(vec![
        Cell::new("Итого").bold(),
        count(sum(|m| m.acts)).bold(),
        count(sum(|m| m.new_smes)).bold(),
        money(r.months.iter().map(|m| m.cost).sum()).bold(),
        money(r.months.iter().map(|m| m.centre_share).sum()).bold(),
        count(sum(|m| m.contracts)).bold(),
        Cell::new(format_usd_thousand(r.kpis.export_volume_usd_thousand))
            .right()
            .bold(),
    ]));
    let mut t = Table::new(
        vec![24.0, 14.0, 18.0, 30.0, 30.0, 22.0, 32.0],
        vec![head_row(&[
            "Месяц",
            "Актов",
            "Новых СМСП",
            "Стоимость, руб.",
            "Доля ЦПЭ, руб.",
            "Контрактов",
            "Экспорт, тыс. долл.",
        ])],
        rows,
    );
    t.size = 9.0;
    Block::Table(t)
}

fn groups_table(title: &str, groups: &[GroupRow]) -> Block {
    let rows = groups
        .iter()
        .map(|g| {
            Row::new(vec![
                Cell::new(&g.label),
                count(g.smes),
                count(g.services),
                money(g.centre_share),
            ])
        })
        .collect();
    let mut t = Table::new(
        vec![70.0, 30.0, 30.0, 40.0],
        vec![head_row(&[title, "СМСП", "Актов", "Доля ЦПЭ, руб."])],
        rows,
    );
    t.size = 9.5;
    Block::Table(t)
}

fn businesses_table(r: &YearlyReport) -> Block {
    let mut rows = Vec::new();
    for (n, b) in r.businesses.iter().enumerate() {
        let contracts = if b.contracts.is_empty() {
            "—".to_owned()
        } else {
            b.contracts
                .iter()
                .map(|c| {
                    format!(
                        "№ {} от {}, {} (ОКСМ {}), {} тыс. долл.",
                        c.number,
                        c.date.format("%d.%m.%Y"),
                        c.counterparty,
                        c.country_code,
                        format_usd_thousand(c.usd_thousand)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        rows.push(Row::new(vec![
            Cell::new((n + 1).to_string()).right(),
            Cell::new(format!("{}\nИНН {}", b.name, b.inn)),
            Cell::new(format!("{}\n{}", b.kind, b.category)),
            Cell::new(if b.services.is_empty() {
                "—".into()
            } else {
                b.services.clone()
            }),
            Cell::new(contracts),
        ]));
    }
    let mut t = Table::new(
        vec![8.0, 48.0, 32.0, 18.0, 64.0],
        vec![head_row(&[
            "№",
            "Субъект МСП",
            "Вид, категория",
            "Услуги",
            "Экспортные контракты",
        ])],
        rows,
    );
    t.size = 8.5;
    Block::Table(t)
}

/// The charts of the report: acts and new businesses per month, budget execution per item.
fn charts(r: &YearlyReport) -> Vec<Block> {
    let mut out = vec![
        heading("Динамика по месяцам"),
        Block::Chart(Chart {
            kind: ChartKind::Columns,
            labels: r
                .months
                .iter()
                .map(|m| month_name(m.month).chars().take(3).collect())
                .collect(),
            series: vec![
                Series {
                    name: "Актов подписано".into(),
                    colour: BLUE,
                    values: r.months.iter().map(|m| m.acts as f64).collect(),
                },
                Series {
                    name: "Новых СМСП".into(),
                    colour: ORANGE,
                    values: r.months.iter().map(|m| m.new_smes as f64).collect(),
                },
            ],
            notes: vec![],
            height: 55.0,
        }),
    ];
    let with_budget: Vec<_> = r
        .items
        .iter()
        .filter(|i| i.budget.is_some() || !i.spent.is_zero())
        .collect();
    if !with_budget.is_empty() {
        out.push(heading("Исполнение сметы по услугам"));
        out.push(Block::Chart(Chart {
            kind: ChartKind::Bars,
            labels: with_budget
                .iter()
                .map(|i| format!("{} {}", i.service_code, i.service_name))
                .collect(),
            series: vec![
                Series {
                    name: "Смета".into(),
                    colour: LIGHT,
                    values: with_budget.iter().map(|i| f(i.budget.unwrap_or_default())).collect(),
                },
                Series {
                    name: "Израсходовано".into(),
                    colour: BLUE,
                    values: with_budget.iter().map(|i| f(i.spent)).collect(),
                },
                Series {
                    name: "Принято обязательств".into(),
                    colour: GREEN,
                    values: with_budget.iter().map(|i| f(i.committed)).collect(),
                },
            ],
            notes: with_budget
                .iter()
                .map(|i| match i.budget {
                    Some(b) if !b.is_zero() => format!(
                        "{} из {} ({}%)",
                        format_amount(i.spent),
                        format_amount(b),
                        (i.spent * Decimal::from(100) / b).round()
                    ),
                    _ => format!("{} (нет в смете)", format_amount(i.spent)),
                })
                .collect(),
            height: 0.0,
        }));
    }
    out
}

/// The document of the yearly report.
pub fn document(r: &YearlyReport, centre_name: &str, created: NaiveDateTime) -> Document {
    let title = format!("Отчёт о деятельности центра поддержки экспорта за {} год", r.year);
    let mut blocks = vec![
        Block::Para(Para::text(Align::Centre, centre_name).size(11.0)),
        Block::Para(
            Para::new(Align::Centre, vec![Span::bold(&title)])
                .size(14.0)
                .spacing(6.0, 10.0),
        ),
        heading("Ключевые показатели (Региональный экспортный стандарт, версия 2.0, п. 6)"),
        kpi_table(r),
    ];
    if let Some(p) = &r.plan {
        blocks.push(Block::Para(
            Para::text(
                Align::Left,
                format!(
                    "План мероприятий {} года (стандарт, разд. 11): запланировано {}, проведено {} — {} % (требуется не менее {} %).",
                    r.year,
                    p.planned,
                    p.carried_out,
                    p.percent.map(|x| x.to_string().replace('.', ",")).unwrap_or_else(|| "—".into()),
                    p.target_percent
                ),
            )
            .size(10.0)
            .spacing(4.0, 0.0),
        ));
    }
    blocks.extend(charts(r));
    blocks.push(heading("Услуги по позициям каталога"));
    blocks.push(items_table(r));
    if let Some(b) = r.budget_total {
        blocks.push(Block::Para(
            Para::text(
                Align::Left,
                format!(
                    "Смета на {} год: {} руб.; израсходовано {} руб., принято обязательств {} руб. \
                     Услуга засчитывается в году даты акта; из сметы {0} года оплачены акты по соглашениям \
                     {0} года, подписанные по {}, акты, подписанные позже, — из сметы года подписания.",
                    r.year,
                    format_amount(b),
                    format_amount(r.total.spent),
                    format_amount(r.total.committed),
                    crate::document::dates::short(r.budget_paid_until)
                ),
            )
            .size(10.0),
        ));
    }
    blocks.push(heading("По месяцам"));
    blocks.push(months_table(r));
    blocks.push(heading("По категориям и видам субъектов МСП"));
    blocks.push(groups_table("Категория", &r.categories));
    blocks.push(groups_table("Вид", &r.kinds));
    blocks.push(heading("Субъекты МСП и их экспортные контракты"));
    blocks.push(businesses_table(r));
    Document {
        meta: Meta {
            title,
            author: centre_name.to_owned(),
            subject: format!("Годовой отчёт за {}", r.year),
            created,
        },
        sections: vec![blocks],
    }
}

/// PDF bytes of the yearly report.
pub fn pdf(r: &YearlyReport, centre_name: &str, created: NaiveDateTime) -> Result<Vec<u8>> {
    document::render(&document(r, centre_name, created))
}
