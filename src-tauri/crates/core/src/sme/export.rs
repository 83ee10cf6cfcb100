//! Export of the SME list as filtered to CSV (for Excel in a Russian locale) and XLSX, with the same column headers the table import recognises, so an exported file can be imported back.

use std::path::Path;

use crate::db::Db;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use super::import_table::ImportField;
use super::search::each_matching;
use super::{Sme, SmeQuery};
use crate::error::{CoreError, ErrorCode, Result};
use crate::spreadsheet::{csv_text, excel_csv_writer, write_error, xlsx_text_format};

/// The exported columns, in order; headers are [`ImportField::label`].
const FIELDS: [ImportField; 24] = {
    use ImportField::*;
    [
        FullName,
        ShortName,
        Kind,
        Inn,
        Ogrn,
        Kpp,
        Category,
        RegistryIncludedOn,
        RegionCode,
        LegalAddress,
        OkvedMain,
        OkvedExtra,
        Products,
        HsCodes,
        TargetCountries,
        HeadPosition,
        HeadName,
        ContactPerson,
        Phone,
        Email,
        LastName,
        FirstName,
        Patronymic,
        Notes,
    ]
};

/// Identifiers: written as text so a spreadsheet keeps leading zeros and all 12–15 digits.
fn is_identifier(f: ImportField) -> bool {
    matches!(
        f,
        ImportField::Inn | ImportField::Ogrn | ImportField::Kpp | ImportField::RegionCode
    )
}

enum Cell {
    Text(String),
    Date(Option<NaiveDate>),
}

fn cell(s: &Sme, f: ImportField) -> Cell {
    use ImportField::*;
    let i = &s.input;
    let text = match f {
        Kind => i.kind.label(),
        FullName => &i.full_name,
        ShortName => &i.short_name,
        LastName => &i.last_name,
        FirstName => &i.first_name,
        Patronymic => &i.patronymic,
        Inn => &i.inn,
        Ogrn => &i.ogrn,
        Kpp => &i.kpp,
        Category => i.category.map_or("", |c| c.label()),
        RegistryIncludedOn => return Cell::Date(i.registry_included_on),
        RegionCode => &i.region_code,
        LegalAddress => &i.legal_address,
        OkvedMain => &i.okved_main,
        OkvedExtra => &i.okved_extra,
        Products => &i.products,
        HsCodes => &i.hs_codes,
        TargetCountries => &i.target_countries,
        HeadPosition => &i.head_position,
        HeadName => &i.head_name,
        ContactPerson => &i.contact_person,
        Phone => &i.phone,
        Email => &i.email,
        Notes => &i.notes,
    };
    Cell::Text(text.to_owned())
}

/// Exports the rows `query` matches (its window ignored), as CSV or XLSX by the file's extension.
/// Returns the number of records written.
pub fn export(conn: &Db, query: &SmeQuery, path: &Path) -> Result<u32> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .as_deref()
    {
        Some("csv") => write_csv(conn, query, path),
        Some("xlsx") => write_xlsx(conn, query, path),
        _ => Err(CoreError::new(
            ErrorCode::File,
            format!("Файл {}: укажите имя с расширением .xlsx или .csv", path.display()),
        )),
    }
}

pub fn write_csv(conn: &Db, query: &SmeQuery, path: &Path) -> Result<u32> {
    let mut w = excel_csv_writer(path)?;
    let csv_err = |e: csv::Error| write_error(path, e);
    w.write_record(FIELDS.iter().map(|f| f.label())).map_err(csv_err)?;
    let n = each_matching(conn, query, |s| {
        let row = FIELDS.iter().map(|f| match cell(&s, *f) {
            Cell::Text(t) => csv_text(&t).into_owned(),
            Cell::Date(d) => d.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default(),
        });
        w.write_record(row).map_err(csv_err)
    })?;
    w.flush().map_err(|e| write_error(path, e))?;
    Ok(n)
}

pub fn write_xlsx(conn: &Db, query: &SmeQuery, path: &Path) -> Result<u32> {
    let x = |e: XlsxError| write_error(path, e);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("СМСП").map_err(x)?;
    let bold = Format::new().set_bold().set_text_wrap();
    let text = Format::new().set_num_format("@");
    let plain = Format::new();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let mut widths: Vec<usize> = FIELDS.iter().map(|f| f.label().chars().count().min(24)).collect();
    for (col, f) in FIELDS.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, f.label(), &bold)
            .map_err(x)?;
    }
    let mut row = 0u32;
    each_matching(conn, query, |s| {
        row += 1;
        for (col, f) in FIELDS.iter().enumerate() {
            let c = col as u16;
            match cell(&s, *f) {
                Cell::Text(t) if t.is_empty() => {}
                Cell::Text(t) => {
                    widths[col] = widths[col].max(t.chars().count());
                    let base = if is_identifier(*f) { &text } else { &plain };
                    sheet
                        .write_string_with_format(row, c, &t, &xlsx_text_format(base, &t))
                        .map_err(x)?;
                }
                Cell::Date(None) => {}
                Cell::Date(Some(d)) => {
                    let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).map_err(x)?;
                    sheet.write_date_with_format(row, c, dt, &date).map_err(x)?;
                    widths[col] = widths[col].max(10);
                }
            }
        }
        Ok(())
    })?;
    for (col, f) in FIELDS.iter().enumerate() {
        // Text columns as wide as their longest value within reason; identifiers keep their
        // format for cells typed in later.
        sheet
            .set_column_width(col as u16, (widths[col] + 2).min(60) as f64)
            .map_err(x)?;
        if is_identifier(*f) {
            sheet.set_column_format(col as u16, &text).map_err(x)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(x)?;
    sheet.autofilter(0, 0, row.max(1), FIELDS.len() as u16 - 1).map_err(x)?;
    book.save(path).map_err(x)?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Ctx;
    use crate::db;
    use crate::sme::import_table::{check, propose_mapping, read_table, save};
    use crate::sme::{add, get_by_inn, SmeCategory, SmeInput, SmeKind};
    use calamine::{open_workbook_auto, Data, Reader};

    fn ctx() -> Ctx {
        Ctx::new(
            "Тест",
            NaiveDate::from_ymd_opt(2025, 3, 15)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        )
    }

    fn registry() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = db::open_in(&dir.path().join("db")).unwrap();
        let mut a = SmeInput::new(SmeKind::LegalEntity, "ООО «Рыбный двор»", "0275000005");
        a.kpp = "027501001".into();
        a.region_code = "02".into();
        a.category = Some(SmeCategory::Small);
        a.registry_included_on = NaiveDate::from_ymd_opt(2016, 8, 1);
        a.contact_person = "Семёнов Пётр".into();
        a.phone = "+7 (347) 123-45-67".into();
        add(&mut conn, &ctx(), &a).unwrap();
        let mut b = SmeInput::new(SmeKind::SoleProprietor, "ИП Петров Пётр Петрович", "500100732259");
        b.ogrn = "304500116000157".into();
        b.region_code = "27".into();
        add(&mut conn, &ctx(), &b).unwrap();
        (dir, conn)
    }

    #[test]
    fn xlsx_keeps_identifiers_as_text_and_dates_as_dates() {
        let (dir, conn) = registry();
        let path = dir.path().join("list.xlsx");
        assert_eq!(export(&conn, &SmeQuery::default(), &path).unwrap(), 2);
        let mut book = open_workbook_auto(&path).unwrap();
        let range = book.worksheet_range("СМСП").unwrap();
        let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
        assert_eq!(
            header[..4],
            ["Полное наименование", "Сокращённое наименование", "Вид", "ИНН"]
        );
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        // Sorted by name: «ИП Петров…» before «ООО «Рыбный двор»».
        let first = range.rows().nth(2).unwrap();
        assert_eq!(
            first[col("ИНН")],
            Data::String("0275000005".into()),
            "leading zero kept as text"
        );
        assert_eq!(first[col("КПП")], Data::String("027501001".into()));
        assert_eq!(first[col("Вид")], Data::String("Юридическое лицо".into()));
        assert!(matches!(first[col("Дата включения в реестр МСП")], Data::DateTime(_)));
        let second = range.rows().nth(1).unwrap();
        assert_eq!(second[col("ОГРН/ОГРНИП")], Data::String("304500116000157".into()));
        assert_eq!(range.height(), 3);
    }

    #[test]
    fn export_follows_the_filter_and_reimports_unchanged() {
        let (dir, conn) = registry();
        let path = dir.path().join("filtered.csv");
        let q = SmeQuery {
            text: "рыбн".into(),
            limit: 1,
            offset: 5,
            ..Default::default()
        };
        assert_eq!(
            export(&conn, &q, &path).unwrap(),
            1,
            "the window is ignored, the filter is not"
        );
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with("\u{feff}Полное наименование;".as_bytes()));

        for name in ["all.csv", "all.xlsx"] {
            let path = dir.path().join(name);
            export(&conn, &SmeQuery::default(), &path).unwrap();
            let table = read_table(&path).unwrap();
            let mapping = propose_mapping(&table.headers);
            assert!(
                mapping.iter().all(Option::is_some),
                "{name}: every exported header is recognised: {mapping:?}"
            );
            let fresh_dir = tempfile::tempdir().unwrap();
            let mut fresh = db::open_in(fresh_dir.path()).unwrap();
            let report = save(&mut fresh, &ctx(), &table, &mapping).unwrap();
            assert_eq!(report.saved, 2, "{name}: {:?}", report.errors);
            for inn in ["0275000005", "500100732259"] {
                let before = get_by_inn(&conn, inn).unwrap().unwrap().input;
                assert_eq!(get_by_inn(&fresh, inn).unwrap().unwrap().input, before, "{name}");
            }
            // Into the same registry: every row is a duplicate.
            let again = check(&conn, &table, &mapping, NaiveDate::from_ymd_opt(2025, 3, 15).unwrap()).unwrap();
            assert_eq!(again.invalid, 2);
        }
        assert!(export(&conn, &SmeQuery::default(), &dir.path().join("x.pdf"))
            .unwrap_err()
            .message
            .contains(".xlsx"));
    }

    /// Issue 14: a name like `=HYPERLINK(…)` was written verbatim and ran as a formula in Excel.
    #[test]
    fn formula_like_text_is_neutralised_in_both_formats() {
        let (dir, mut conn) = registry();
        let mut evil = SmeInput::new(
            SmeKind::LegalEntity,
            "=HYPERLINK(\"http://x.ru\";\"Скидка\")",
            "7707083893",
        );
        evil.notes = "@SUM(A1:A9)".into();
        evil.phone = "+7 495 000-00-00".into();
        add(&mut conn, &ctx(), &evil).unwrap();
        let q = SmeQuery {
            text: "7707083893".into(),
            ..Default::default()
        };
        let csv_path = dir.path().join("list.csv");
        export(&conn, &q, &csv_path).unwrap();
        let text = std::fs::read_to_string(&csv_path).unwrap();
        assert!(text.contains("'=HYPERLINK"), "{text}");
        assert!(text.contains("'@SUM(A1:A9)") && text.contains("'+7 495"), "{text}");
        let xlsx_path = dir.path().join("list.xlsx");
        export(&conn, &q, &xlsx_path).unwrap();
        let mut book = open_workbook_auto(&xlsx_path).unwrap();
        let range = book.worksheet_range("СМСП").unwrap();
        let row = range.rows().nth(1).unwrap();
        assert_eq!(
            row[0],
            Data::String("=HYPERLINK(\"http://x.ru\";\"Скидка\")".into()),
            "kept as its text"
        );
        let formulas = book.worksheet_formula("СМСП").unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "no formula in the file"
        );
        // The cells carry Excel's quote prefix (quotePrefix="1" in the styles).
        let zip = std::fs::File::open(&xlsx_path).unwrap();
        let mut zip = zip::ZipArchive::new(zip).unwrap();
        let mut styles = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
        assert!(styles.contains("quotePrefix=\"1\""), "{styles}");
    }
}
