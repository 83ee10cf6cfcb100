//! Export of the foreign buyers as filtered to CSV (the same Excel-friendly writer as the SME list) or XLSX.

use std::path::Path;

use crate::db::Db;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::store::{card, list, BuyerQuery};
use crate::error::{CoreError, ErrorCode, Result};
use crate::spreadsheet::{excel_csv_writer, write_error};

const HEADERS: [&str; 16] = [
    "Наименование",
    "Код ОКСМ",
    "Страна",
    "Город",
    "Адрес",
    "Контактное лицо",
    "Телефон",
    "Эл. почта",
    "Сайт",
    "Что покупает",
    "Коды ТН ВЭД",
    "Источник",
    "Соглашение / мероприятие",
    "Связанные СМСП",
    "Экспортных контрактов",
    "Примечания",
];

/// The rows as text; the contract count is the only number.
fn rows(conn: &Db, q: &BuyerQuery) -> Result<Vec<(Vec<String>, i64)>> {
    let mut out = Vec::new();
    for b in list(conn, q)? {
        let c = card(conn, b.id)?;
        let i = &b.input;
        let source = match (&c.source_agreement_number, i.source_text.is_empty()) {
            (Some(n), true) => format!("соглашение № {n}"),
            (Some(n), false) => format!("соглашение № {n}; {}", i.source_text),
            (None, _) => i.source_text.clone(),
        };
        let smes = c
            .smes
            .iter()
            .map(|s| format!("{} (ИНН {})", s.name, s.inn))
            .collect::<Vec<_>>()
            .join("; ");
        out.push((
            vec![
                i.name.clone(),
                i.country_code.clone(),
                b.country_name.clone(),
                i.city.clone(),
                i.address.clone(),
                i.contact_person.clone(),
                i.phone.clone(),
                i.email.clone(),
                i.website.clone(),
                i.products.clone(),
                i.hs_codes.clone(),
                i.source_kind.label().to_owned(),
                source,
                smes,
                String::new(),
                i.notes.clone(),
            ],
            b.contract_count,
        ));
    }
    Ok(out)
}

/// Writes the buyers `q` matches as CSV or XLSX by the file's extension; returns how many.
pub fn export(conn: &Db, q: &BuyerQuery, path: &Path) -> Result<u32> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_lowercase);
    let data = rows(conn, q)?;
    match ext.as_deref() {
        Some("csv") => {
            let mut w = excel_csv_writer(path)?;
            let err = |e: csv::Error| write_error(path, e);
            w.write_record(HEADERS).map_err(err)?;
            for (mut r, n) in data.iter().cloned() {
                r[14] = n.to_string();
                w.write_record(r.iter().map(|v| crate::spreadsheet::csv_text(v).into_owned()))
                    .map_err(err)?;
            }
            w.flush().map_err(|e| write_error(path, e))?;
        }
        Some("xlsx") => {
            let x = |e: XlsxError| write_error(path, e);
            let mut book = Workbook::new();
            let sheet = book.add_worksheet();
            sheet.set_name("Иностранные покупатели").map_err(x)?;
            let bold = Format::new().set_bold().set_text_wrap();
            let text = Format::new().set_num_format("@");
            let mut widths: Vec<usize> = HEADERS.iter().map(|h| h.chars().count().min(20)).collect();
            for (c, h) in HEADERS.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(x)?;
            }
            for (i, (r, n)) in data.iter().enumerate() {
                let row = i as u32 + 1;
                for (c, v) in r.iter().enumerate() {
                    if c == 14 {
                        sheet.write_number(row, c as u16, *n as f64).map_err(x)?;
                    } else if !v.is_empty() {
                        widths[c] = widths[c].max(v.chars().count());
                        // Codes as text: ОКСМ "004" and ТН ВЭД "0901" keep their leading zeros.
                        let format = crate::spreadsheet::xlsx_text_format(&text, v);
                        sheet.write_string_with_format(row, c as u16, v, &format).map_err(x)?;
                    }
                }
            }
            for (c, w) in widths.iter().enumerate() {
                sheet.set_column_width(c as u16, (*w + 2).min(50) as f64).map_err(x)?;
            }
            sheet.set_freeze_panes(1, 0).map_err(x)?;
            sheet
                .autofilter(0, 0, (data.len() as u32).max(1), HEADERS.len() as u16 - 1)
                .map_err(x)?;
            book.save(path).map_err(x)?;
        }
        _ => {
            return Err(CoreError::new(
                ErrorCode::File,
                format!("Файл {}: укажите имя с расширением .xlsx или .csv", path.display()),
            ))
        }
    }
    Ok(data.len() as u32)
}
