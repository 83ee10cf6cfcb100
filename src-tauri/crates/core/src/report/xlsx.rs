//! Reports as XLSX with rust_xlsxwriter (the project's one XLSX writer, already used by the SME export): one sheet per table, numbers as numbers (money with two decimals), totals as `SUM` formulas that also carry their computed value, so readers that do not recalculate see it.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet, XlsxError};

use super::trace::month_name;
use super::yearly::{GroupRow, YearlyReport};
use crate::error::{CoreError, ErrorCode, Result};

/// A cell of a report sheet.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum XCell {
    Text(String),
    Count(u32),
    Money(Decimal),
    /// Thousand US dollars, three decimals.
    Usd(Decimal),
    /// A share done, per cent with one decimal.
    Percent(Decimal),
    Date(NaiveDate),
    Empty,
}

/// A sheet: column titles and widths, rows, and whether a totals row sums the numeric columns.
pub(crate) struct SheetSpec<'a> {
    pub name: &'a str,
    pub columns: Vec<(&'a str, f64)>,
    pub rows: Vec<Vec<XCell>>,
    pub totals: bool,
}

fn xerr(e: XlsxError) -> CoreError {
    CoreError::new(ErrorCode::File, format!("Не удалось составить файл XLSX: {e}"))
}

fn col_letter(mut c: usize) -> String {
    let mut s = String::new();
    c += 1;
    while c > 0 {
        let r = (c - 1) % 26;
        s.insert(0, (b'A' + r as u8) as char);
        c = (c - 1) / 26;
    }
    s
}

struct Formats {
    head: Format,
    money: Format,
    usd: Format,
    percent: Format,
    count: Format,
    date: Format,
    text: Format,
    bold_text: Format,
    bold_money: Format,
    bold_usd: Format,
    bold_count: Format,
}

impl Formats {
    fn new() -> Formats {
        let bold = || Format::new().set_bold();
        Formats {
            head: bold()
                .set_text_wrap()
                .set_background_color("#E6E6E6")
                .set_border(rust_xlsxwriter::FormatBorder::Thin),
            money: Format::new().set_num_format("#,##0.00"),
            usd: Format::new().set_num_format("#,##0.000"),
            percent: Format::new().set_num_format("0.0"),
            count: Format::new().set_num_format("0"),
            date: Format::new().set_num_format("dd.mm.yyyy"),
            text: Format::new().set_text_wrap(),
            bold_text: bold(),
            bold_money: bold().set_num_format("#,##0.00"),
            bold_usd: bold().set_num_format("#,##0.000"),
            bold_count: bold().set_num_format("0"),
        }
    }
}

fn num(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn write_sheet(sheet: &mut Worksheet, spec: &SheetSpec, fm: &Formats) -> std::result::Result<(), XlsxError> {
    sheet.set_name(spec.name)?;
    for (c, (title, width)) in spec.columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *title, &fm.head)?;
        sheet.set_column_width(c as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, row) in spec.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                XCell::Text(t) => {
                    sheet.write_string_with_format(r, c, t, &crate::spreadsheet::xlsx_text_format(&fm.text, t))?
                }
                XCell::Count(n) => sheet.write_number_with_format(r, c, *n as f64, &fm.count)?,
                XCell::Money(d) => sheet.write_number_with_format(r, c, num(*d), &fm.money)?,
                XCell::Usd(d) => sheet.write_number_with_format(r, c, num(*d), &fm.usd)?,
                XCell::Percent(d) => sheet.write_number_with_format(r, c, num(*d), &fm.percent)?,
                XCell::Date(d) => {
                    let excel = rust_xlsxwriter::ExcelDateTime::from_ymd(
                        chrono::Datelike::year(d) as u16,
                        chrono::Datelike::month(d) as u8,
                        chrono::Datelike::day(d) as u8,
                    )?;
                    sheet.write_datetime_with_format(r, c, &excel, &fm.date)?
                }
                XCell::Empty => sheet,
            };
        }
    }
    if spec.totals && !spec.rows.is_empty() {
        let last = spec.rows.len() as u32 + 1;
        sheet.write_string_with_format(last, 0, "Итого", &fm.bold_text)?;
        for c in 1..spec.columns.len() {
            let cells: Vec<&XCell> = spec.rows.iter().filter_map(|r| r.get(c)).collect();
            let (sum, format) = match cells.iter().find(|x| !matches!(x, XCell::Empty | XCell::Text(_))) {
                Some(XCell::Count(_)) => (
                    cells
                        .iter()
                        .map(|x| if let XCell::Count(n) = x { *n as i64 } else { 0 })
                        .sum::<i64>()
                        .to_string(),
                    &fm.bold_count,
                ),
                Some(XCell::Money(_)) | Some(XCell::Usd(_)) => {
                    let total: Decimal = cells
                        .iter()
                        .map(|x| match x {
                            XCell::Money(d) | XCell::Usd(d) => *d,
                            _ => Decimal::ZERO,
                        })
                        .sum();
                    let usd = cells.iter().any(|x| matches!(x, XCell::Usd(_)));
                    (
                        total.normalize().to_string(),
                        if usd { &fm.bold_usd } else { &fm.bold_money },
                    )
                }
                _ => continue,
            };
            let l = col_letter(c);
            let formula = Formula::new(format!("=SUM({l}2:{l}{last})")).set_result(sum);
            sheet.write_formula_with_format(last, c as u16, formula, format)?;
        }
    }
    Ok(())
}

/// Writes sheets into one workbook and returns its bytes.
pub(crate) fn workbook(sheets: &[SheetSpec]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let fm = Formats::new();
    for spec in sheets {
        let sheet = book.add_worksheet();
        write_sheet(sheet, spec, &fm).map_err(xerr)?;
    }
    book.save_to_buffer().map_err(xerr)
}

fn group_sheet<'a>(name: &'a str, title: &'a str, groups: &[GroupRow]) -> SheetSpec<'a> {
    SheetSpec {
        name,
        columns: vec![(title, 28.0), ("СМСП", 10.0), ("Актов", 10.0), ("Доля ЦПЭ, руб.", 18.0)],
        rows: groups
            .iter()
            .map(|g| {
                vec![
                    XCell::Text(g.label.clone()),
                    XCell::Count(g.smes),
                    XCell::Count(g.services),
                    XCell::Money(g.centre_share),
                ]
            })
            .collect(),
        totals: true,
    }
}

/// The yearly report as XLSX bytes: «Показатели», «По услугам», «По месяцам», «По категориям», «По видам», «СМСП и контракты».
pub fn yearly(r: &YearlyReport) -> Result<Vec<u8>> {
    let names = [
        "Количество субъектов МСП, получивших поддержку",
        "Количество субъектов МСП, заключивших экспортные контракты по результатам поддержки",
        "Объём поддержанного экспорта, тыс. долл. США",
    ];
    let rows = super::targets::plan_vs_actual(&r.kpis, &r.targets)
        .into_iter()
        .zip(names)
        .enumerate()
        .map(|(n, ((actual, plan, percent), name))| {
            let figure = |v: Decimal| {
                if n == 2 {
                    XCell::Usd(v)
                } else {
                    XCell::Count(v.to_u32().unwrap_or(0))
                }
            };
            vec![
                XCell::Text(name.into()),
                plan.map(figure).unwrap_or(XCell::Empty),
                figure(actual),
                percent.map(XCell::Percent).unwrap_or(XCell::Empty),
            ]
        })
        .collect();
    let kpis = SheetSpec {
        name: "Показатели",
        columns: vec![
            ("Показатель", 70.0),
            ("План", 14.0),
            ("Факт", 14.0),
            ("Исполнено, %", 14.0),
        ],
        rows,
        totals: false,
    };
    let items = SheetSpec {
        name: "По услугам",
        columns: vec![
            ("Код", 8.0),
            ("Услуга", 50.0),
            ("Услуг оказано", 10.0),
            ("СМСП", 8.0),
            ("Участников мероприятий", 12.0),
            ("Стоимость, руб.", 16.0),
            ("Доля ЦПЭ, руб.", 16.0),
            ("Софинансирование СМСП получено, руб.", 18.0),
            ("Смета, руб.", 16.0),
            ("Израсходовано по смете, руб.", 16.0),
            ("Принято обязательств, руб.", 16.0),
        ],
        rows: r
            .items
            .iter()
            .map(|i| {
                vec![
                    XCell::Text(i.service_code.clone()),
                    XCell::Text(i.service_name.clone()),
                    XCell::Count(i.services),
                    XCell::Count(i.smes),
                    i.participants.map_or(XCell::Empty, XCell::Count),
                    XCell::Money(i.cost),
                    XCell::Money(i.centre_share),
                    XCell::Money(i.cofinancing_paid),
                    i.budget.map_or(XCell::Empty, XCell::Money),
                    XCell::Money(i.spent),
                    XCell::Money(i.committed),
                ]
            })
            .collect(),
        totals: true,
    };
    let months = SheetSpec {
        name: "По месяцам",
        columns: vec![
            ("Месяц", 12.0),
            ("Актов", 8.0),
            ("Новых СМСП", 10.0),
            ("Стоимость, руб.", 16.0),
            ("Доля ЦПЭ, руб.", 16.0),
            ("Контрактов", 10.0),
            ("Экспорт, тыс. долл. США", 14.0),
        ],
        rows: r
            .months
            .iter()
            .map(|m| {
                vec![
                    XCell::Text(month_name(m.month).into()),
                    XCell::Count(m.acts),
                    XCell::Count(m.new_smes),
                    XCell::Money(m.cost),
                    XCell::Money(m.centre_share),
                    XCell::Count(m.contracts),
                    XCell::Usd(m.export_volume_usd_thousand),
                ]
            })
            .collect(),
        totals: true,
    };
    let mut business_rows = Vec::new();
    for b in &r.businesses {
        let base = |c: Option<&super::yearly::ContractLine>| {
            vec![
                XCell::Text(b.name.clone()),
                XCell::Text(b.inn.clone()),
                XCell::Text(b.kind.clone()),
                XCell::Text(b.category.clone()),
                XCell::Text(b.services.clone()),
                c.map_or(XCell::Empty, |c| XCell::Text(c.number.clone())),
                c.map_or(XCell::Empty, |c| XCell::Date(c.date)),
                c.map_or(XCell::Empty, |c| XCell::Text(c.country_code.clone())),
                c.map_or(XCell::Empty, |c| XCell::Text(c.counterparty.clone())),
                c.map_or(XCell::Empty, |c| XCell::Text(c.agreement_number.clone())),
                c.map_or(XCell::Empty, |c| XCell::Usd(c.usd_thousand)),
            ]
        };
        if b.contracts.is_empty() {
            business_rows.push(base(None));
        }
        for c in &b.contracts {
            business_rows.push(base(Some(c)));
        }
    }
    let businesses = SheetSpec {
        name: "СМСП и контракты",
        columns: vec![
            ("Субъект МСП", 36.0),
            ("ИНН", 14.0),
            ("Вид", 16.0),
            ("Категория", 18.0),
            ("Услуги", 12.0),
            ("Контракт №", 12.0),
            ("Дата", 11.0),
            ("ОКСМ", 7.0),
            ("Контрагент", 28.0),
            ("Соглашение", 14.0),
            ("Экспорт за год, тыс. долл. США", 14.0),
        ],
        rows: business_rows,
        totals: true,
    };
    workbook(&[
        kpis,
        items,
        months,
        group_sheet("По категориям", "Категория", &r.categories),
        group_sheet("По видам", "Вид", &r.kinds),
        businesses,
    ])
}
