//! Reading a table to import: CSV in UTF-8 (with or without BOM) or windows-1251 with `;`, `,` or tab separators, and XLSX/XLSB through calamine's cell readers — all turned into rows of text with spreadsheet row numbers.
//!
//! A spreadsheet is read cell by cell, keeping only the cells that exist: a 5 KB file with one
//! cell at XFD1048576 declares a sheet of 17 billion cells, and building calamine's dense `Range`
//! for it asked for 549 GB. Rows, columns, cells and the length of a cell are capped ([`LIMITS`]),
//! each with a message naming the file, the sheet and the limit. XLS and ODS have no such reader in
//! calamine (their whole sheet is made dense), so they are refused with the advice to save the
//! table as XLSX or CSV.

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{open_workbook_auto, Data, DataRef, Reader, Sheets};
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
            let size = std::fs::metadata(path).map_err(|e| file_error(path, e))?.len();
            if size > MAX_CSV_BYTES {
                return Err(file_error(
                    path,
                    format!("файл больше {} МБ — разделите список на несколько файлов", MAX_CSV_BYTES >> 20),
                ));
            }
            let bytes = std::fs::read(path).map_err(|e| file_error(path, e))?;
            read_csv_bytes(&bytes).map_err(|e| file_error(path, e.message))
        }
        "xlsx" | "xlsm" | "xlsb" => read_spreadsheet(path),
        "xls" | "ods" => Err(CoreError::new(
            ErrorCode::File,
            format!(
                "Файл {}: формат .{ext} программа не читает — откройте таблицу и сохраните её как .xlsx (книга Excel) или .csv",
                path.display()
            ),
        )),
        _ => Err(CoreError::new(
            ErrorCode::File,
            format!(
                "Файл {}: формат не поддерживается — сохраните таблицу как .xlsx или .csv",
                path.display()
            ),
        )),
    }
}

/// A CSV is read whole; 200 000 rows of a centre's list are a few tens of MB.
const MAX_CSV_BYTES: u64 = 200 << 20;

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
        if i as u32 >= LIMITS.rows {
            return Err(CoreError::new(
                ErrorCode::File,
                format!(
                    "в таблице больше {} строк — разделите список на несколько файлов",
                    crate::money::format_count(LIMITS.rows.into())
                ),
            ));
        }
        rows.push(((i + 1) as u32, record.iter().map(str::to_owned).collect()));
    }
    Ok(assemble(rows))
}

/// The most a table may hold: more than a centre's list ever has, little enough to read at once.
pub struct Limits {
    pub rows: u32,
    pub columns: u32,
    pub cells: usize,
    pub cell_chars: usize,
}

pub const LIMITS: Limits = Limits {
    rows: 200_000,
    columns: 200,
    cells: 4_000_000,
    cell_chars: 10_000,
};

fn read_spreadsheet(path: &Path) -> Result<SourceTable> {
    let book = open_workbook_auto(path).map_err(|e| file_error(path, e))?;
    let mut cells = Cells::new(path);
    match book {
        Sheets::Xlsx(mut b) => {
            let name = b
                .sheet_names()
                .first()
                .cloned()
                .ok_or_else(|| file_error(path, "в книге нет листов"))?;
            cells.sheet = name.clone();
            let mut reader = b.worksheet_cells_reader(&name).map_err(|e| file_error(path, e))?;
            while let Some(c) = reader.next_cell().map_err(|e| file_error(path, e))? {
                cells.add(c.get_position(), c.get_value())?;
            }
        }
        Sheets::Xlsb(mut b) => {
            let name = b
                .sheet_names()
                .first()
                .cloned()
                .ok_or_else(|| file_error(path, "в книге нет листов"))?;
            cells.sheet = name.clone();
            let mut reader = b.worksheet_cells_reader(&name).map_err(|e| file_error(path, e))?;
            while let Some(c) = reader.next_cell().map_err(|e| file_error(path, e))? {
                cells.add(c.get_position(), c.get_value())?;
            }
        }
        _ => return Err(file_error(path, "сохраните таблицу как .xlsx или .csv")),
    }
    Ok(assemble(cells.rows()))
}

/// The cells of a sheet that exist, by row.
struct Cells<'p> {
    path: &'p Path,
    sheet: String,
    rows: BTreeMap<u32, Vec<(u32, String)>>,
    count: usize,
}

impl<'p> Cells<'p> {
    fn new(path: &'p Path) -> Self {
        Cells {
            path,
            sheet: String::new(),
            rows: BTreeMap::new(),
            count: 0,
        }
    }

    fn too_big(&self, what: String) -> CoreError {
        CoreError::new(
            ErrorCode::File,
            format!(
                "Файл {}, лист «{}»: {what}. Разделите список на несколько файлов или удалите лишнее.",
                self.path.display(),
                self.sheet
            ),
        )
    }

    fn add(&mut self, (row, col): (u32, u32), value: &DataRef<'_>) -> Result<()> {
        let text = ref_text(value);
        if text.is_empty() {
            return Ok(());
        }
        if row >= LIMITS.rows {
            return Err(self.too_big(format!(
                "заполнена строка {} — в таблице может быть не больше {} строк",
                row + 1,
                crate::money::format_count(LIMITS.rows.into())
            )));
        }
        if col >= LIMITS.columns {
            return Err(self.too_big(format!(
                "заполнена колонка № {} — в таблице может быть не больше {} колонок",
                col + 1,
                LIMITS.columns
            )));
        }
        if text.chars().count() > LIMITS.cell_chars {
            return Err(self.too_big(format!(
                "в строке {} ячейка длиннее {} знаков",
                row + 1,
                LIMITS.cell_chars
            )));
        }
        self.count += 1;
        if self.count > LIMITS.cells {
            return Err(self.too_big(format!(
                "больше {} заполненных ячеек",
                crate::money::format_count(LIMITS.cells as u64)
            )));
        }
        self.rows.entry(row).or_default().push((col, text));
        Ok(())
    }

    fn rows(self) -> Vec<(u32, Vec<String>)> {
        self.rows
            .into_iter()
            .map(|(row, cells)| {
                let width = cells.iter().map(|(c, _)| *c as usize + 1).max().unwrap_or(0);
                let mut out = vec![String::new(); width];
                for (c, text) in cells {
                    out[c as usize] = text;
                }
                (row + 1, out)
            })
            .collect()
    }
}

fn ref_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => cell_text(&Data::Int(*i)),
        DataRef::Float(f) => cell_text(&Data::Float(*f)),
        DataRef::Bool(b) => cell_text(&Data::Bool(*b)),
        DataRef::DateTime(d) => cell_text(&Data::DateTime(*d)),
        DataRef::DateTimeIso(s) => cell_text(&Data::DateTimeIso(s.clone())),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e}"),
    }
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
