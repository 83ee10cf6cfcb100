//! `cpe report …` end to end: a year built through the CLI (SME, budget, agreement, act, payment) plus an export contract, then the yearly report as PDF (pdftotext) and XLSX (read back), the registry of recipients as CSV, the demand forecast and its PDF, and the records behind a figure.

mod common;

use std::path::Path;
use std::process::Command;

use common::{fails, json, ok};

const INN: &str = "7707083893";

fn pdftext(p: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", p.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils)");
    String::from_utf8(out.stdout)
        .unwrap()
        .split(char::is_whitespace)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An eligible SME with a 4.2 service closed by a signed act on 2025-04-10, its cofinancing paid,
/// and an export contract of 2025 linked to the agreement (42,5 thousand dollars in 2025).
fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["settings", "set", "short_name", "АНО «ЦПЭ»"]);
    ok(
        d,
        &[
            "sme",
            "add",
            "--kind",
            "ul",
            "--inn",
            INN,
            "--name",
            "ООО «Ромашка»",
            "--category",
            "small",
        ],
    );
    ok(
        d,
        &[
            "budget",
            "set",
            "--year",
            "2025",
            "--service",
            "4.2",
            "--amount",
            "5000000",
        ],
    );
    common::checked(d, INN);
    let a = json(&ok(
        d,
        &[
            "agreement",
            "add",
            "--inn",
            INN,
            "--service",
            "4.2",
            "--date",
            "2025-03-06",
            "--item",
            "4.2:500000:100000",
            "--pay",
            "2025-03-20:100000",
            "--declaration",
            "--json",
        ],
    ));
    let id = a["id"].to_string();
    ok(d, &["agreement", "sign", &id, "--received", "2025-03-07"]);
    ok(
        d,
        &[
            "act",
            "add",
            "--agreement",
            &id,
            "--date",
            "2025-04-10",
            "--item",
            "4.2:500000",
        ],
    );
    let acts = json(&ok(d, &["act", "list", "--agreement", &id, "--json"]));
    let act = acts[0]["id"].to_string();
    ok(d, &["act", "sign", &act, "--date", "2025-04-10"]);
    ok(
        d,
        &[
            "payment",
            "add",
            "--agreement",
            &id,
            "--date",
            "2025-03-15",
            "--amount",
            "100000",
            "--document",
            "п/п 5",
        ],
    );
    // The contract through the export module: dollars at the Central Bank's rate of its date.
    ok(
        d,
        &[
            "rates",
            "set",
            "--date",
            "2025-06-02",
            "--currency",
            "USD",
            "--value",
            "90",
        ],
    );
    let mut conn = cpe_core::db::open_in(d).unwrap();
    let sme = cpe_core::sme::get_by_inn(&conn, INN).unwrap().unwrap();
    let ctx = cpe_core::audit::Ctx::new("Тест", chrono::Local::now().naive_local());
    let input = cpe_core::export_contract::ExportContractInput {
        sme_id: sme.id,
        kind: cpe_core::export_contract::ExportKind::Contract,
        agreement_id: id.parse().ok(),
        subject: "Поставка".into(),
        number: "K-7".into(),
        contract_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 2).unwrap(),
        country_code: "398".into(),
        buyer_id: None,
        create_buyer: false,
        counterparty_name: "Astana Foods".into(),
        currency: "USD".into(),
        amount: "42500".into(),
        volumes: vec![cpe_core::export_contract::VolumeInput {
            year: 2025,
            amount: "42500".into(),
        }],
        reported_on: chrono::NaiveDate::from_ymd_opt(2025, 6, 10).unwrap(),
        notes: String::new(),
    };
    cpe_core::export_contract::add(&mut conn, &ctx, &input).unwrap();
    dir
}

#[test]
fn yearly_report_as_text_pdf_and_xlsx() {
    use calamine::{Data, DataType, Reader, Xlsx};
    let dir = setup();
    let d = dir.path();
    let said = ok(d, &["report", "yearly", "--year", "2025"]);
    assert!(said.contains("получили поддержку: 1"), "{said}");
    assert!(said.contains("контракты по итогам поддержки: 1"), "{said}");
    assert!(said.contains("тыс. долл. США: 42,5"), "{said}");

    let pdf = d.join("yearly.pdf");
    ok(
        d,
        &[
            "report",
            "yearly",
            "--year",
            "2025",
            "--format",
            "pdf",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    let t = pdftext(&pdf);
    assert!(
        t.contains("Отчёт о деятельности центра поддержки экспорта за 2025 год"),
        "{t}"
    );
    assert!(
        t.contains("Объём поддержанного экспорта, тыс. долл. США — 42,5 —"),
        "{t}"
    );
    assert!(t.contains("№ K-7 от 02.06.2025, Astana Foods (ОКСМ 398)"), "{t}");
    assert!(
        t.contains("Итого 1 1 — 500 000,00 100 000,00 400 000,00 5 000 000,00"),
        "{t}"
    );

    let xlsx = d.join("yearly.xlsx");
    ok(
        d,
        &[
            "report",
            "yearly",
            "--year",
            "2025",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let items = book.worksheet_range("По услугам").unwrap();
    let last = items.height() as u32 - 1;
    assert_eq!(items.get_value((last, 0)), Some(&Data::String("Итого".into())));
    assert_eq!(
        items.get_value((last, 5)).unwrap().get_float(),
        Some(500_000.0),
        "the PDF's 500 000,00"
    );
    assert_eq!(
        items.get_value((last, 7)).unwrap().get_float(),
        Some(100_000.0),
        "the PDF's 100 000,00"
    );

    let e = fails(
        d,
        &[
            "report", "yearly", "--year", "2025", "--format", "csv", "--out", "x.csv",
        ],
    );
    assert!(e.contains("Выберите PDF или XLSX"), "{e}");
}

#[test]
fn recipients_demand_and_trace() {
    let dir = setup();
    let d = dir.path();
    let csv = d.join("r.csv");
    ok(
        d,
        &[
            "report",
            "recipients",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap(),
        ],
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[1].starts_with("1;10.04.2025;ООО «Ромашка»;7707083893;"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains(";400000,00;07.03.2025 – 10.04.2025;"), "{}", lines[1]);

    let e = fails(
        d,
        &[
            "report",
            "forecast",
            "--year",
            "2026",
            "--service",
            "4.2",
            "--services",
            "3",
            "--amount",
            "abc",
        ],
    );
    assert!(e.contains("Сумма «abc»"), "{e}");
    let said = ok(
        d,
        &[
            "report",
            "forecast",
            "--year",
            "2026",
            "--service",
            "4.2",
            "--services",
            "3",
            "--amount",
            "1500000",
        ],
    );
    assert!(said.contains("1\u{a0}500\u{a0}000,00"), "{said}");
    let a = json(&ok(d, &["report", "demand", "--year", "2026", "--json"]));
    let row = a["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["item_code"] == "4.2")
        .unwrap()
        .clone();
    assert_eq!(
        (row["services"].as_u64(), row["forecast_services"].as_u64()),
        (Some(1), Some(3))
    );
    let pdf = d.join("demand.pdf");
    ok(
        d,
        &["report", "demand", "--year", "2026", "--out", pdf.to_str().unwrap()],
    );
    assert!(pdftext(&pdf).contains("Потребность в финансировании на 2026 год: 1 500 000,00 руб."));

    let list = json(&ok(
        d,
        &["report", "trace", "--year", "2025", "export-volume", "--json"],
    ));
    assert_eq!(list["records"][0]["number"], "K-7");
    let e = fails(d, &["report", "trace", "--year", "2025", "month-acts:13"]);
    assert!(e.contains("от 1 до 12"), "{e}");
}

/// Quarterly monitoring (000 §4): the second quarter holds the April service and the June contract,
/// the first none of them; saving the file is journaled under the quarter's name.
#[test]
fn quarterly_monitoring_as_text_json_and_pdf() {
    let dir = setup();
    let d = dir.path();
    let said = ok(d, &["report", "quarterly", "--year", "2025", "--quarter", "2"]);
    assert!(
        said.contains("Мониторинг КПЭ за II квартал 2025 г.: 01.04.2025 – 30.06.2025, срок представления 08.07.2025"),
        "{said}"
    );
    assert!(
        said.contains("получили поддержку: за квартал 1, с начала года 1"),
        "{said}"
    );
    assert!(said.contains("за квартал 42,5, с начала года 42,5"), "{said}");
    let q1 = json(&ok(
        d,
        &["report", "quarterly", "--year", "2025", "--quarter", "1", "--json"],
    ));
    assert_eq!(q1["kpis"]["smes_supported"], 0);
    assert_eq!(q1["rows"].as_array().map(Vec::len), Some(0));
    let pdf = d.join("q2.pdf");
    ok(
        d,
        &[
            "report",
            "quarterly",
            "--year",
            "2025",
            "--quarter",
            "2",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    let t = pdftext(&pdf);
    assert!(t.contains("Мониторинг КПЭ за II квартал 2025 г."), "{t}");
    assert!(t.contains("Итого 1 1 400 000,00 1 1 400 000,00"), "{t}");
    let journal = ok(d, &["audit", "list", "--json"]);
    assert!(journal.contains("Мониторинг КПЭ II квартал 2025.pdf"), "{journal}");
    let e = fails(d, &["report", "quarterly", "--year", "2025", "--quarter", "5"]);
    assert!(e.contains("укажите квартал от 1 до 4"), "{e}");
}
