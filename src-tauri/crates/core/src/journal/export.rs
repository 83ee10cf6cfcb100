//! The journal written to an XLSX file: a row per changed field, paged by key so a million entries stay linear, into a constant-memory sheet.

use super::{condition, entries, JournalQuery};
use crate::db::Db;
use crate::error::Result;

/// The most rows a journal export writes (an XLSX sheet holds 1 048 576).
pub const EXPORT_LIMIT: u32 = 1_000_000;

/// Writes the entries matching `q` to an XLSX file, one row per changed field (an entry without
/// fields is one row), the newest first; returns the number of entries written.
pub fn export_xlsx(conn: &Db, q: &JournalQuery, path: &std::path::Path) -> Result<u32> {
    use rust_xlsxwriter::{Format, Workbook, XlsxError};
    let x = |e: XlsxError| crate::spreadsheet::write_error(path, e);
    let mut book = Workbook::new();
    // Rows go to a temporary file as they are written: a million entries do not sit in memory.
    let sheet = book.add_worksheet_with_constant_memory().map_err(x)?;
    sheet.set_name("Журнал изменений").map_err(x)?;
    let bold = Format::new().set_bold();
    let plain = Format::new();
    let columns = [
        ("Когда", 20.0),
        ("Кто", 28.0),
        ("Действие", 12.0),
        ("Вид записи", 22.0),
        ("Запись", 40.0),
        ("Поле", 30.0),
        ("Было", 30.0),
        ("Стало", 30.0),
    ];
    for (c, (_, width)) in columns.iter().enumerate() {
        sheet.set_column_width(c as u16, *width).map_err(x)?;
    }
    for (c, (title, _)) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *title, &bold).map_err(x)?;
    }
    let (mut row, mut written, mut before) = (0u32, 0u32, None);
    'pages: loop {
        // Keyset paging: each page starts below the last id, so the export stays linear.
        let (filter, args) = condition(q, before, conn.engine());
        let page = entries(conn, &filter, &args, 0, 1000)?;
        let Some(last) = page.last() else {
            break;
        };
        before = Some(last.id);
        for e in &page {
            written += 1;
            let head = [
                e.at.replace('T', " "),
                e.actor.clone(),
                e.action_label.clone(),
                e.entity_label.clone(),
                e.record_name.clone(),
            ];
            let lines: Vec<[&str; 3]> = if e.changes.is_empty() {
                vec![["", "", ""]]
            } else {
                e.changes
                    .iter()
                    .map(|c| [c.label.as_str(), c.before.as_str(), c.after.as_str()])
                    .collect()
            };
            for line in lines {
                if row >= EXPORT_LIMIT {
                    break 'pages;
                }
                row += 1;
                for (c, text) in head.iter().map(String::as_str).chain(line).enumerate() {
                    if !text.is_empty() {
                        let f = crate::spreadsheet::xlsx_text_format(&plain, text);
                        sheet.write_string_with_format(row, c as u16, text, &f).map_err(x)?;
                    }
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(x)?;
    sheet
        .autofilter(0, 0, row.max(1), columns.len() as u16 - 1)
        .map_err(x)?;
    book.save(path).map_err(x)?;
    Ok(written)
}
