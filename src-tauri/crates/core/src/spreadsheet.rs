//! What every CSV and XLSX file the program writes shares: the CSV dialect Excel opens in a Russian locale, and text cells that a spreadsheet must never take for a formula.
//!
//! A name, a note or a product typed as `=HYPERLINK("http://…")` (or imported from someone's list)
//! would run as a formula in Excel or LibreOffice when the centre opens an export: a text cell that
//! starts with `=`, `+`, `-`, `@`, a tab or a carriage return is neutralised. In CSV it gets a
//! leading apostrophe, the OWASP advice — the value shows with it, which is the honest thing for a
//! file that has no cell types. In XLSX the cell is already a string; it also gets the «quote
//! prefix» attribute, Excel's own mark for «text that looks like a formula», so editing it does not
//! turn it into one, and its value stays exactly as stored. Numbers the program writes (amounts,
//! counts, dates) are written as numbers and never touched.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::error::{CoreError, ErrorCode, Result};

/// Text a spreadsheet would read as a formula (or a formula's start).
pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A text cell as written to CSV: with a leading apostrophe when it looks like a formula.
pub fn csv_text(text: &str) -> Cow<'_, str> {
    if looks_like_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The text of a CSV cell written by [`csv_text`]: the apostrophe it added is taken off again, so
/// an exported list imports back unchanged (`'+7 495 …` is the phone `+7 495 …`).
pub fn csv_untext(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => cell,
    }
}

/// The format of an XLSX text cell: `base`, with the quote prefix when the text looks like a formula.
pub fn xlsx_text_format(base: &rust_xlsxwriter::Format, text: &str) -> rust_xlsxwriter::Format {
    if looks_like_formula(text) {
        base.clone().set_quote_prefix()
    } else {
        base.clone()
    }
}

pub(crate) fn write_error(path: &Path, why: impl std::fmt::Display) -> CoreError {
    CoreError::new(
        ErrorCode::File,
        format!("Не удалось записать файл {}: {why}", path.display()),
    )
}

/// A CSV writer the way Excel in a Russian locale opens a file by double click: UTF-8 with a
/// BOM (without it Excel assumes windows-1251) and `;` between fields (`,` is the decimal mark).
/// Write text fields through [`csv_text`].
pub(crate) fn excel_csv_writer(path: &Path) -> Result<csv::Writer<BufWriter<File>>> {
    let mut file = BufWriter::new(File::create(path).map_err(|e| write_error(path, e))?);
    file.write_all(b"\xEF\xBB\xBF").map_err(|e| write_error(path, e))?;
    Ok(excel_csv(file))
}

/// The same dialect over any writer (a report made in memory).
pub(crate) fn excel_csv<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_neutralised_and_other_text_kept() {
        for risky in [
            "=HYPERLINK(\"http://x\";\"ok\")",
            "+7 495",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(csv_text(risky), format!("'{risky}"), "{risky:?}");
        }
        for plain in ["ООО «Ромашка»", "7707083893", "1 250 000,00", "", "a=b"] {
            assert_eq!(csv_text(plain), plain);
        }
        for text in ["=1+1", "+7 495", "'quoted", "plain"] {
            assert_eq!(csv_untext(&csv_text(text)), text);
        }
    }
}
