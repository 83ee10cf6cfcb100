//! Quarterly monitoring (000 §4) on the hand-built 2025 of the report tests: the KPIs from January to the quarter's end and within it, the rows per catalog item, the due day and the reminder, and the XLSX equal to the PDF.

use super::quarterly::{self, QuarterReminder};
use super::tests::{hand_built_year, now, pdftotext};
use crate::agreement::fixture::{ctx, d, day};
use crate::audit::{self, AuditAction};

#[test]
fn a_quarter_counts_from_january_to_its_end_and_within_itself() {
    let y = hand_built_year();
    let q1 = quarterly::quarterly(&y.conn, 2025, 1).unwrap();
    assert_eq!((q1.kpis.smes_supported, q1.kpis.smes_with_contracts), (0, 0));
    assert_eq!(
        q1.kpis.export_volume_usd_thousand,
        d("30"),
        "Г's 2024 contract from January"
    );
    assert!(q1.rows.is_empty());

    let q2 = quarterly::quarterly(&y.conn, 2025, 2).unwrap();
    assert_eq!((q2.from, q2.to), (day("2025-04-01"), day("2025-06-30")));
    assert_eq!((q2.kpis.smes_supported, q2.kpis.smes_with_contracts), (2, 1));
    assert_eq!(q2.kpis.export_volume_usd_thousand, d("130.5"));
    assert_eq!(q2.quarter_kpis.export_volume_usd_thousand, d("100.5"));
    let codes: Vec<&str> = q2.rows.iter().map(|r| r.service_code.as_str()).collect();
    assert_eq!(codes, ["4.2", "4.4"]);
    let r42 = &q2.rows[0];
    assert_eq!((r42.quarter_services, r42.quarter_smes, r42.ytd_services), (2, 2, 2));
    assert_eq!(r42.quarter_centre_share, d("800000.00"));
    assert_eq!(
        (q2.total.quarter_services, q2.total.quarter_smes),
        (3, 2),
        "А's two services, one business"
    );

    let q3 = quarterly::quarterly(&y.conn, 2025, 3).unwrap();
    assert_eq!(
        q3.quarter_kpis.smes_supported, 0,
        "no act in July–September (В's is unsigned)"
    );
    assert_eq!(q3.quarter_kpis.smes_with_contracts, 1, "А's August contract");
    assert_eq!(q3.kpis.smes_supported, 2);
    assert_eq!(q3.kpis.export_volume_usd_thousand, d("150.5"));
    assert_eq!((q3.rows[0].quarter_services, q3.rows[0].ytd_services), (0, 2));
    let q4 = quarterly::quarterly(&y.conn, 2025, 4).unwrap();
    let year = super::yearly::yearly(&y.conn, 2025).unwrap();
    assert_eq!(q4.kpis, year.kpis, "the fourth quarter's running KPIs are the year's");

    let e = quarterly::quarterly(&y.conn, 2025, 5).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("quarter"));
}

/// Due by the 6th working day after the quarter; reminded from the day after it until then, and
/// no more once the monitoring is saved.
#[test]
fn the_monitoring_is_due_on_the_sixth_working_day_and_reminded_until_saved() {
    let mut y = hand_built_year();
    // 30.06.2025 is a Monday: 1, 2, 3, 4, 7, 8 July.
    assert_eq!(quarterly::due_on(&y.conn, 2025, 2).unwrap(), day("2025-07-08"));
    let due = QuarterReminder {
        year: 2025,
        quarter: 2,
        due_on: day("2025-07-08"),
    };
    assert_eq!(
        quarterly::reminder(&y.conn, day("2025-07-01")).unwrap(),
        Some(due.clone())
    );
    assert_eq!(quarterly::reminder(&y.conn, day("2025-07-08")).unwrap(), Some(due));
    assert_eq!(quarterly::reminder(&y.conn, day("2025-07-09")).unwrap(), None);
    assert_eq!(quarterly::reminder(&y.conn, day("2025-06-20")).unwrap(), None);
    audit::record_output(
        &mut y.conn,
        &ctx("2025-07-02"),
        "report",
        "",
        AuditAction::Export,
        &serde_json::json!({"title": "Мониторинг КПЭ II квартал 2025.pdf", "file": "/tmp/x.pdf"}),
    )
    .unwrap();
    assert_eq!(quarterly::reminder(&y.conn, day("2025-07-03")).unwrap(), None);
    assert_eq!(
        super::ReportRequest::Quarterly { year: 2025, quarter: 2 }.file_name(super::ReportFormat::Pdf),
        "Мониторинг КПЭ II квартал 2025.pdf"
    );
}

#[test]
fn the_quarters_pdf_and_xlsx_show_the_same_figures() {
    use calamine::{Data, Reader, Xlsx};
    let y = hand_built_year();
    let r = quarterly::quarterly(&y.conn, 2025, 2).unwrap();
    let text = pdftotext(&quarterly::pdf(&r, "АНО «ЦПЭ»", now()).unwrap()).replace('\u{a0}', " ");
    assert!(text.contains("Мониторинг КПЭ за II квартал 2025 г."), "{text}");
    assert!(text.contains("Срок представления — 08.07.2025"), "{text}");
    assert!(text.contains("130,5"), "{text}");
    assert!(text.contains("800 000,00"), "{text}");
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(quarterly::xlsx(&r).unwrap())).unwrap();
    let kpis = book.worksheet_range("Показатели").unwrap();
    assert_eq!(kpis.get_value((1, 2)), Some(&Data::Float(2.0)), "KPI 1 from January");
    assert_eq!(kpis.get_value((3, 2)), Some(&Data::Float(130.5)));
    let services = book.worksheet_range("По услугам").unwrap();
    let last = services.height() - 1;
    assert_eq!(
        services.get_value((last as u32, 1)),
        Some(&Data::String("Итого".into()))
    );
    assert_eq!(
        services.get_value((last as u32, 3)),
        Some(&Data::Float(2.0)),
        "SMEs once, not 2 + 1"
    );
}
