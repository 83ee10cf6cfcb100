//! Integration tests of `cpe sme import-table` and `cpe sme export` through the built binary, on small CSV and XLSX files made here.

use std::path::Path;
use std::process::Command;

use calamine::{open_workbook_auto, Data, Reader};

struct Run {
    code: i32,
    stdout: String,
}

fn cpe(data: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_cpe"))
        .arg("--data-dir")
        .arg(data)
        .args(["--actor", "Тестов Т. Т."])
        .args(args)
        .output()
        .expect("cpe runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
    }
}

fn listed_inns(data: &Path) -> Vec<String> {
    let run = cpe(data, &["sme", "list", "--json"]);
    assert_eq!(run.code, 0);
    let rows: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut inns: Vec<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["inn"].as_str().unwrap().to_owned())
        .collect();
    inns.sort();
    inns
}

const CSV: &str = "\u{feff}Наименование;ИНН;Вид;Контактное лицо\r
ООО «Амур»;7707083893;ЮЛ;Кузнецов Иван\r
ООО «Ошибка»;7707083894;ЮЛ;\r
ИП Петров Пётр;500100732259;;\r
ООО «Дубль»;7707083893;;\r
";

#[test]
fn dry_run_reports_errors_and_saves_nothing_then_import_saves_valid_rows() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("list.csv");
    std::fs::write(&file, CSV).unwrap();
    let errors = dir.path().join("errors.csv");

    let run = cpe(
        &data,
        &[
            "sme",
            "import-table",
            file.to_str().unwrap(),
            "--dry-run",
            "--json",
            "--errors",
            errors.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    let report: serde_json::Value = serde_json::from_str(run.stdout.lines().last().unwrap()).unwrap();
    assert_eq!(
        (
            report["rows"].as_u64(),
            report["valid"].as_u64(),
            report["invalid"].as_u64()
        ),
        (Some(4), Some(2), Some(2))
    );
    assert_eq!(report["saved"], 0);
    let errs = report["errors"].as_array().unwrap();
    assert_eq!(
        (errs[0]["row"].as_u64(), errs[0]["field"].as_str()),
        (Some(3), Some("inn"))
    );
    assert_eq!(
        (errs[1]["row"].as_u64(), errs[1]["field"].as_str()),
        (Some(5), Some("inn"))
    );
    assert!(listed_inns(&data).is_empty(), "dry run saves nothing");
    let written = std::fs::read_to_string(&errors).unwrap();
    assert!(written.starts_with("\u{feff}Строка;Колонка;Поле;Значение;Ошибка"));
    assert_eq!(written.lines().count(), 3);

    let run = cpe(&data, &["sme", "import-table", file.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("Строка 3: колонка «ИНН», ИНН"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Строк: 4, без ошибок: 2, с ошибками: 2"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Сохранено: 2"), "{}", run.stdout);
    assert_eq!(listed_inns(&data), ["500100732259", "7707083893"]);
    let found = cpe(&data, &["sme", "list", "--search", "кузнец"]);
    assert!(
        found.stdout.contains("ООО «Амур»") && !found.stdout.contains("Петров"),
        "{}",
        found.stdout
    );
}

#[test]
fn imports_xlsx_and_exports_the_filtered_list_to_xlsx_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("list.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, h) in ["ИНН", "Полное наименование", "Телефон"].iter().enumerate() {
        sheet.write_string(0, col as u16, *h).unwrap();
    }
    // Number cells, as a list typed in Excel has them.
    sheet.write_number(1, 0, 7707083893.0).unwrap();
    sheet.write_string(1, 1, "ООО «Амурская рыба»").unwrap();
    sheet.write_number(1, 2, 74212556677.0).unwrap();
    sheet.write_number(2, 0, 500100732259.0).unwrap();
    sheet.write_string(2, 1, "ИП Сидорова Анна").unwrap();
    book.save(&file).unwrap();

    let run = cpe(&data, &["sme", "import-table", file.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(listed_inns(&data), ["500100732259", "7707083893"]);

    let out = dir.path().join("рыба.xlsx");
    let run = cpe(&data, &["sme", "export", out.to_str().unwrap(), "--search", "РЫБ"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("Выгружено СМСП: 1"), "{}", run.stdout);
    let mut back = open_workbook_auto(&out).unwrap();
    let range = back.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(range.height(), 2);
    let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let row = range.rows().nth(1).unwrap();
    let at = |h: &str| &row[header.iter().position(|x| x == h).unwrap()];
    assert_eq!(at("ИНН"), &Data::String("7707083893".into()));
    assert_eq!(at("Полное наименование"), &Data::String("ООО «Амурская рыба»".into()));
    assert_eq!(at("Телефон"), &Data::String("74212556677".into()));

    let csv = dir.path().join("all.csv");
    assert_eq!(cpe(&data, &["sme", "export", csv.to_str().unwrap()]).code, 0);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert_eq!(text.lines().count(), 3);
    assert!(
        text.lines().nth(1).unwrap().starts_with("ООО «Амурская рыба»;"),
        "sorted by name without the legal form"
    );

    let bad = cpe(&data, &["sme", "export", dir.path().join("x.txt").to_str().unwrap()]);
    assert_eq!(bad.code, 1);
}
