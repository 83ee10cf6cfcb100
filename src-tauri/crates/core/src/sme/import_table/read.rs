//! Reading a table to import: CSV in UTF-8 (with or without BOM) or windows-1251 with `;`, `,` or tab separators, and XLSX/XLS/ODS through calamine — all turned into rows of text with spreadsheet row numbers.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use serde::Serialize;

use crate::error::{CoreError, ErrorCode, Result};

/// A table as read from the file: the header row and the non-empty data rows, every cell as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceTable {
    /// One per column; an empty header becomes «Колонка N».
    pub headers: Vec<String>,
    pub rows: Vec<SourceRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRow {
    /// The row number as a spreadsheet shows it (1 = the first row of the file or sheet).
    pub number: u32,
    /// Exactly as many cells as headers.
    pub cells: Vec<String>,
}

fn file_error(path: &Path, why: impl std::fmt::Display) -> CoreError {
    CoreError::new(
        ErrorCode::File,
        format!("Не удалось прочитать файл {}: {why}", path.display()),
    )
}

/// Reads a CSV or a spreadsheet, chosen by the file's extension.
pub fn read_table(path: &Path) -> Result<SourceTable> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    match ext.as_str() {
        "csv" | "txt" | "tsv" => {
            let bytes = std::fs::read(path).map_err(|e| file_error(path, e))?;
            read_csv_bytes(&bytes).map_err(|e| file_error(path, e.message))
        }
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => read_spreadsheet(path),
        _ => Err(CoreError::new(
            ErrorCode::File,
            format!(
                "Файл {}: формат не поддерживается — сохраните таблицу как .xlsx или .csv",
                path.display()
            ),
        )),
    }
}

/// UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), otherwise windows-1251 — what Excel
/// in a Russian locale writes for «CSV (разделители — запятые)».
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1251
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// The separator used most in the first non-empty line, outside quotes; `;` wins ties because a
/// Russian-locale Excel writes it.
fn separator(text: &str) -> u8 {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for c in counts.iter_mut().filter(|c| c.0 == b) {
                c.1 += 1;
            }
        }
    }
    let best = counts
        .iter()
        .max_by_key(|c| (c.1, std::cmp::Reverse(c.0 == b',')))
        .expect("three candidates");
    if best.1 == 0 {
        b','
    } else {
        best.0
    }
}

/// Reads CSV bytes: encoding and separator detected, the first non-empty row taken as headers.
pub fn read_csv_bytes(bytes: &[u8]) -> Result<SourceTable> {
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(&text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| CoreError::new(ErrorCode::File, format!("строка {}: {e}", i + 1)))?;
        rows.push(((i + 1) as u32, record.iter().map(str::to_owned).collect()));
    }
    Ok(assemble(rows))
}

fn read_spreadsheet(path: &Path) -> Result<SourceTable> {
    let mut book = open_workbook_auto(path).map_err(|e| file_error(path, e))?;
    let range = match book.worksheet_range_at(0) {
        Some(r) => r.map_err(|e| file_error(path, e))?,
        None => return Err(file_error(path, "в книге нет листов")),
    };
    let first_row = range.start().map_or(0, |(r, _)| r);
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| (first_row + i as u32 + 1, cells.iter().map(cell_text).collect()))
        .collect();
    Ok(assemble(rows))
}

/// A cell as the text a person would type: whole numbers without «.0» (INNs and phones are
/// often number cells), dates as ISO.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "да" } else { "нет" }.to_owned(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e}"),
    }
}

/// The first non-empty row is the header; empty rows are dropped; every row gets exactly as many
/// cells as the widest row, and unnamed columns are named by their number.
fn assemble(rows: Vec<(u32, Vec<String>)>) -> SourceTable {
    let mut rows = rows
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let Some((_, headers)) = rows.next() else {
        return SourceTable::default();
    };
    let mut rows: Vec<SourceRow> = rows.map(|(number, cells)| SourceRow { number, cells }).collect();
    let width = rows
        .iter()
        .map(|r| r.cells.len())
        .chain([headers.len()])
        .max()
        .unwrap_or(0);
    let headers = (0..width)
        .map(|i| match headers.get(i).map(|h| h.trim()) {
            Some(h) if !h.is_empty() => h.to_owned(),
            _ => format!("Колонка {}", i + 1),
        })
        .collect();
    for r in &mut rows {
        r.cells.resize(width, String::new());
    }
    SourceTable { headers, rows }
}
