//! Tests of the table import: reading CSV/XLSX variants, the proposed mapping, per-row errors before saving, and saving only the valid rows.

use super::*;
use crate::audit;
use crate::db;
use crate::db::Db;
use crate::sme::{list, SmeQuery};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 15).unwrap()
}

fn ctx() -> Ctx {
    Ctx::new("Иванова А. А.", today().and_hms_opt(10, 0, 0).unwrap())
}

fn count(conn: &Db) -> u32 {
    list(conn, &SmeQuery::default()).unwrap().total
}

#[test]
fn reads_utf8_with_bom_and_semicolons() {
    let t = read_csv_bytes(
        "\u{feff}Наименование;ИНН\r\n\"ООО «А; Б»\";7707083893\r\n;\r\nИП Петров;500100732259\r\n".as_bytes(),
    )
    .unwrap();
    assert_eq!(t.headers, ["Наименование", "ИНН"]);
    assert_eq!(t.rows.len(), 2, "the empty row is dropped");
    assert_eq!(t.rows[0].cells, ["ООО «А; Б»", "7707083893"]);
    assert_eq!(
        (t.rows[0].number, t.rows[1].number),
        (2, 4),
        "numbers as the spreadsheet shows them"
    );
}

#[test]
fn reads_windows_1251_with_commas() {
    let (bytes, _, bad) = encoding_rs::WINDOWS_1251.encode("Наименование,ИНН,Телефон\nООО \"Ёлка\",7707083893,\n");
    assert!(!bad);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    let t = read_csv_bytes(&bytes).unwrap();
    assert_eq!(t.headers, ["Наименование", "ИНН", "Телефон"]);
    assert_eq!(
        t.rows[0].cells,
        ["ООО Ёлка\"", "7707083893", ""].map(|s| s.replace("ООО Ёлка\"", "ООО \"Ёлка\""))
    );
}

#[test]
fn proposes_a_mapping_from_usual_headers() {
    let headers: Vec<String> = [
        "№",
        "Наименование организации",
        "ИНН",
        "ОГРН / ОГРНИП",
        "КПП",
        "Вид",
        "Категория",
        "Регион",
        "ФИО руководителя",
        "Контактное лицо",
        "Телефон",
        "E-mail",
        "Основной ОКВЭД",
        "Доп. ОКВЭД",
        "Примечание",
        "ИНН",
    ]
    .map(String::from)
    .into();
    use ImportField::*;
    assert_eq!(
        propose_mapping(&headers),
        [
            None,
            Some(FullName),
            Some(Inn),
            Some(Ogrn),
            Some(Kpp),
            Some(Kind),
            Some(Category),
            Some(RegionCode),
            Some(HeadName),
            Some(ContactPerson),
            Some(Phone),
            Some(Email),
            Some(OkvedMain),
            Some(OkvedExtra),
            Some(Notes),
            None
        ]
    );
}

const MIXED: &str = "Наименование;ИНН;ОГРН;Вид;Категория;Регион;Дата включения в реестр;E-mail
ООО «Амур»;7707083893;1027700132195;ЮЛ;малое;27;01.08.2016;info@amur.ru
ООО «Ошибка ИНН»;7707083894;;;;;;
ИП Петров Пётр;500100732259;;;микро;27;;
ООО «Дубль»;7707083893;;;;;;
ООО «Непонятно»;7707329152;;ТОО;огромное;;32.13.2020;почта@
;027500000000;;;;;;
ООО «Башкирия»;275000005;;;;2;;
";

fn mixed_table() -> SourceTable {
    read_csv_bytes(MIXED.as_bytes()).unwrap()
}

#[test]
fn lists_every_error_by_row_and_field_and_saves_nothing_on_check() {
    let dir = tempfile::tempdir().unwrap();
    let conn = db::open_in(dir.path()).unwrap();
    let table = mixed_table();
    let mapping = propose_mapping(&table.headers);
    let report = check(&conn, &table, &mapping, today()).unwrap();
    assert_eq!((report.rows, report.valid, report.invalid, report.saved), (7, 3, 4, 0));
    let by_row: Vec<(u32, &str)> = report.errors.iter().map(|e| (e.row, e.field.as_str())).collect();
    assert_eq!(
        by_row,
        [
            (3, "inn"),
            (5, "inn"),
            (6, "kind"),
            (6, "category"),
            (6, "registry_included_on"),
            (6, "email"),
            (7, "full_name"),
            (7, "inn")
        ]
    );
    let e = &report.errors[0];
    assert_eq!((e.column.as_deref(), e.value.as_str()), (Some("ИНН"), "7707083894"));
    assert!(e.message.contains("контрольн"), "{}", e.message);
    assert!(
        report.errors[1].message.contains("строке 2"),
        "{}",
        report.errors[1].message
    );
    assert_eq!(report.errors[2].value, "ТОО");
    assert_eq!(report.errors[4].column.as_deref(), Some("Дата включения в реестр"));
    assert_eq!(count(&conn), 0);
    assert!(audit::list(&conn, None, None, 10).unwrap().is_empty());
}

#[test]
fn saves_only_valid_rows_in_one_go_with_audit() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    let table = mixed_table();
    let mapping = propose_mapping(&table.headers);
    let report = save(&mut conn, &ctx(), &table, &mapping).unwrap();
    assert_eq!((report.valid, report.invalid, report.saved), (3, 4, 3));
    assert_eq!(count(&conn), 3);
    assert_eq!(audit::list(&conn, Some("sme"), None, 10).unwrap().len(), 3);
    let amur = get_by_inn(&conn, "7707083893").unwrap().unwrap();
    assert_eq!(amur.input.kind, SmeKind::LegalEntity);
    assert_eq!(amur.input.category, Some(SmeCategory::Small));
    assert_eq!(amur.input.registry_included_on, NaiveDate::from_ymd_opt(2016, 8, 1));
    let ip = get_by_inn(&conn, "500100732259").unwrap().unwrap();
    assert_eq!(ip.input.kind, SmeKind::SoleProprietor, "inferred from the 12-digit INN");
    let bash = get_by_inn(&conn, "0275000005").unwrap().unwrap();
    assert_eq!(
        (bash.input.full_name.as_str(), bash.input.region_code.as_str()),
        ("ООО «Башкирия»", "02")
    );

    // Again: every row is now either invalid or already in the registry; nothing more is saved.
    let again = save(&mut conn, &ctx(), &table, &mapping).unwrap();
    assert_eq!((again.valid, again.saved), (0, 0));
    assert!(again
        .errors
        .iter()
        .any(|e| e.row == 2 && e.message.contains("уже есть в реестре")));
    assert_eq!(count(&conn), 3);
}

#[test]
fn refuses_a_mapping_without_name_or_inn() {
    let dir = tempfile::tempdir().unwrap();
    let conn = db::open_in(dir.path()).unwrap();
    let table = mixed_table();
    let mut mapping = propose_mapping(&table.headers);
    mapping[1] = None;
    let err = check(&conn, &table, &mapping, today()).unwrap_err();
    assert!(err.message.contains("«ИНН»"), "{}", err.message);
}

#[test]
fn user_mapping_wins_and_person_names_build_the_full_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    let table = read_csv_bytes("Col1,Col2,Col3,Col4\n500100732259,Сидорова,Анна,самозанятый\n".as_bytes()).unwrap();
    use ImportField::*;
    let mapping = vec![Some(Inn), Some(LastName), Some(FirstName), Some(Kind)];
    let report = save(&mut conn, &ctx(), &table, &mapping).unwrap();
    assert_eq!(report.saved, 1, "{:?}", report.errors);
    let s = get_by_inn(&conn, "500100732259").unwrap().unwrap();
    assert_eq!(
        (s.input.full_name.as_str(), s.input.kind),
        ("Сидорова Анна", SmeKind::SelfEmployed)
    );
}

#[test]
fn error_list_is_written_as_excel_csv() {
    let dir = tempfile::tempdir().unwrap();
    let conn = db::open_in(dir.path()).unwrap();
    let table = mixed_table();
    let report = check(&conn, &table, &propose_mapping(&table.headers), today()).unwrap();
    let path = dir.path().join("errors.csv");
    write_errors_csv(&report.errors, &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFStroka".as_slice()) || bytes.starts_with("\u{feff}Строка;".as_bytes()));
    let back = read_csv_bytes(&bytes).unwrap();
    assert_eq!(back.headers, ["Строка", "Колонка", "Поле", "Значение", "Ошибка"]);
    assert_eq!(back.rows.len(), report.errors.len());
    assert_eq!(back.rows[0].cells[0], "3");
    assert_eq!(back.rows[0].cells[4], report.errors[0].message);
}

#[test]
fn reads_xlsx_with_number_and_date_cells() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(1, 0, "Наименование").unwrap();
    sheet.write_string(1, 1, "ИНН").unwrap();
    sheet.write_string(1, 2, "Дата включения в реестр МСП").unwrap();
    sheet.write_string(2, 0, "ООО «Амур»").unwrap();
    sheet.write_number(2, 1, 7707083893.0).unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2016, 8, 1).unwrap();
    sheet
        .write_date_with_format(2, 2, date, &rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy"))
        .unwrap();
    book.save(&path).unwrap();

    let t = read_table(&path).unwrap();
    assert_eq!(t.headers, ["Наименование", "ИНН", "Дата включения в реестр МСП"]);
    assert_eq!(t.rows[0].number, 3);
    assert_eq!(t.rows[0].cells, ["ООО «Амур»", "7707083893", "2016-08-01"]);
    let conn = db::open_in(dir.path()).unwrap();
    let report = check(&conn, &t, &propose_mapping(&t.headers), today()).unwrap();
    assert_eq!(report.valid, 1, "{:?}", report.errors);
}

#[test]
fn unknown_formats_and_broken_files_get_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("list.docx");
    std::fs::write(&doc, b"x").unwrap();
    assert!(read_table(&doc).unwrap_err().message.contains(".xlsx или .csv"));
    let xlsx = dir.path().join("broken.xlsx");
    std::fs::write(&xlsx, b"not a zip").unwrap();
    let err = read_table(&xlsx).unwrap_err();
    assert_eq!(err.code, ErrorCode::File);
    assert!(err.message.contains("broken.xlsx"), "{}", err.message);
}

/// Issue 14: a 5 KB XLSX with one cell at XFD1048576 aborted the program asking for 549 GB; one at
/// ZZ200000 took 37 s and 7.7 GB. Only the cells that exist are read, within the limits.
#[test]
fn a_sparse_spreadsheet_is_read_by_its_cells_or_refused_by_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, cells: &[(u32, u16, &str)]| {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (r, c, v) in cells {
            sheet.write_string(*r, *c, *v).unwrap();
        }
        let path = dir.path().join(name);
        book.save(&path).unwrap();
        path
    };
    let far = write("far.xlsx", &[(1_048_575, 16_383, "x")]);
    let e = read_table(&far).unwrap_err();
    assert!(
        e.message.contains("строка 1048576") && e.message.contains("200\u{a0}000"),
        "{}",
        e.message
    );
    let wide = write("wide.xlsx", &[(0, 0, "Наименование"), (199_999, 701, "x")]);
    let e = read_table(&wide).unwrap_err();
    assert!(
        e.message.contains("колонка № 702") && e.message.contains("Sheet1"),
        "{}",
        e.message
    );
    // Gaps between the cells that exist cost nothing.
    let sparse = write(
        "sparse.xlsx",
        &[
            (0, 0, "Наименование"),
            (0, 5, "ИНН"),
            (150_000, 0, "ООО «Далеко»"),
            (150_000, 5, "7707083893"),
        ],
    );
    let t = read_table(&sparse).unwrap();
    assert_eq!(t.headers.len(), 6);
    assert_eq!(t.rows.len(), 1);
    assert_eq!((t.rows[0].number, t.rows[0].cells[5].as_str()), (150_001, "7707083893"));
    let ods = dir.path().join("list.ods");
    std::fs::write(&ods, b"PK").unwrap();
    assert!(read_table(&ods).unwrap_err().message.contains(".xlsx"));
}
