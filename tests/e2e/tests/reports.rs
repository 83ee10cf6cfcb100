//! Journeys of «Главная» and «Отчёты» through the real app: the dashboard shows this year's KPIs and a click lists the businesses behind one; the yearly report's preview shows them, a click on a cell lists the acts it counts, and the report is saved as a PDF whose text holds the KPIs; an export contract entered in «Экспорт» appears in the yearly report.

use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use cpe_core::agreement::{self, AgreementInput, AgreementItemInput, PlannedPayment};
use cpe_core::audit::Ctx;
use cpe_core::{act, budget, centre};
use cpe_e2e::*;
use rust_decimal::Decimal;

fn money(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// This year: an eligible SME given service 4.2 (act of 2 February, signed), an export contract
/// linked to it with 42,5 thousand dollars of this year's volume.
fn seed(dir: &std::path::Path, year: i32, with_contract: bool) {
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).unwrap();
    let mut conn = cpe_core::db::open_in(dir).expect("database");
    let ctx = Ctx::new("Петрова Анна Сергеевна", chrono::Local::now().naive_local());
    centre::set_field(&mut conn, &ctx, "short_name", "АНО «ЦПЭ Хабаровского края»").expect("settings");
    let sme_id = add_eligible_sme(&mut conn, &ctx, "ООО «Амурская рыба»", "7707329152");
    budget::set_line(&mut conn, &ctx, year, "4.2", money("5000000")).expect("budget");
    let a = agreement::create(
        &mut conn,
        &ctx,
        &AgreementInput {
            sme_id,
            application_id: None,
            date: day(1, 10),
            service_code: "4.2".into(),
            participants: None,
            declaration_signed: true,
            items: vec![AgreementItemInput {
                item_code: "4.2".into(),
                cost: money("500000"),
                sme_share: money("100000"),
                state_fees: Decimal::ZERO,
                contractor_id: None,
                contract_id: None,
                quantity: Default::default(),
            }],
            payment_schedule: vec![PlannedPayment {
                due_on: day(1, 20),
                amount: money("100000"),
                contract_id: None,
            }],
            stages: vec![],
            format: None,
            selection: None,
            event_id: None,
        },
    )
    .expect("agreement");
    agreement::sign(&mut conn, &ctx, a.id, day(1, 12)).expect("agreement signed");
    let act = act::add(
        &mut conn,
        &ctx,
        &act::ActInput {
            agreement_id: a.id,
            stage_id: None,
            number: String::new(),
            date: day(2, 2),
            items: vec![act::ActItemInput {
                item_code: "4.2".into(),
                amount: money("500000"),
            }],
        },
    )
    .expect("act");
    act::sign(&mut conn, &ctx, act.id, day(2, 2)).expect("act signed");
    // The contract through the export module: dollars at the Central Bank's rate of its date.
    let rate = cpe_core::rates::ManualRateInput {
        date: day(2, 20),
        char_code: "USD".into(),
        nominal: 1,
        value: "90".into(),
        replace: false,
    };
    cpe_core::rates::set_manual(&mut conn, &ctx, &rate).expect("rate");
    if !with_contract {
        return;
    }
    let contract = cpe_core::export_contract::ExportContractInput {
        sme_id,
        kind: cpe_core::export_contract::ExportKind::Contract,
        agreement_id: Some(a.id),
        subject: "Поставка рыбы".into(),
        number: "AR-1".into(),
        contract_date: day(2, 20),
        country_code: "156".into(),
        buyer_id: None,
        create_buyer: false,
        counterparty_name: "Harbin Seafood".into(),
        currency: "USD".into(),
        amount: "42500".into(),
        volumes: vec![cpe_core::export_contract::VolumeInput {
            year,
            amount: "42500".into(),
        }],
        reported_on: day(2, 25),
        notes: String::new(),
    };
    cpe_core::export_contract::add(&mut conn, &ctx, &contract).expect("export contract");
}

fn pdftotext(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils)");
    String::from_utf8(out.stdout)
        .unwrap()
        .split(char::is_whitespace)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn the_dashboard_and_the_yearly_report_show_the_kpis_and_the_records_behind_them() {
    let year = chrono::Local::now().year();
    let data = tempfile::tempdir().unwrap();
    seed(data.path(), year, true);
    let (_driver, app) = launch_retrying(data.path()).await;

    // «Главная» opens first.
    wait_text(&app, "[data-testid='kpi-value-smes_supported']", "1").await;
    wait_text(&app, "[data-testid='kpi-value-smes_with_contracts']", "1").await;
    wait_text(&app, "[data-testid='kpi-value-export_volume_usd_thousand']", "42,5").await;
    wait_plain(&app, "[data-testid='home-budget']", "400 000,00").await;
    screenshot(&app, "reports-home").await;
    click(&app, "[data-testid='kpi-value-smes_supported']").await;
    wait_text(&app, "[data-testid='trace-panel']", "ООО «Амурская рыба»").await;
    wait_count(&app, "[data-testid='trace-row']", 1).await;
    screenshot(&app, "reports-home-trace").await;
    click(&app, "[data-testid='trace-close']").await;

    // «Отчёты»: the yearly report of this year.
    click(&app, "[data-testid='nav-reports']").await;
    wait_text(&app, "[data-testid='preview-kpi-1']", "1").await;
    wait_text(&app, "[data-testid='preview-kpi-3']", "42,5").await;
    wait_text(&app, "[data-testid='preview-businesses']", "Harbin Seafood").await;
    click(&app, "[data-testid='cell-services-4.2']").await;
    let panel = wait_text(&app, "[data-testid='trace-panel']", "Акт").await;
    assert!(panel.contains("1/") && panel.contains("Амурская рыба"), "{panel}");
    screenshot(&app, "reports-yearly-trace").await;
    click(&app, "[data-testid='trace-close']").await;
    // The region's plan (standard 2.0 §6): two supported SMEs, one so far — 50 %.
    fill(&app, "target_supported", "2").await;
    click(&app, "[data-testid='kpi-targets-save']").await;
    wait_text(&app, "[data-testid='preview-plan']", "исполнено 50 %").await;
    screenshot(&app, "reports-yearly").await;

    // Saved as a PDF where the save dialog points (answered for the test).
    let out = data.path().join("Годовой отчёт.pdf");
    answer_dialog(data.path(), &[&out]);
    click(&app, "[data-testid='save-pdf']").await;
    // The toast names the file: the one of an earlier save may still be showing.
    wait_text(&app, "[data-testid='toast']", "Годовой отчёт.pdf").await;
    let text = pdftotext(&out);
    assert!(
        text.contains(&format!("Отчёт о деятельности центра поддержки экспорта за {year} год")),
        "{text}"
    );
    assert!(
        text.contains("Количество субъектов МСП, получивших поддержку 2 1 50 %"),
        "{text}"
    );
    assert!(
        text.contains("Объём поддержанного экспорта, тыс. долл. США — 42,5 —"),
        "{text}"
    );

    // Quarterly monitoring (000 §4): the February act and contract are the first quarter's.
    click(&app, "[data-testid='report-kind-quarterly']").await;
    select(&app, "[data-testid='quarter']", "1").await;
    wait_text(
        &app,
        "[data-testid='quarterly-period']",
        &format!("I квартал {year} г."),
    )
    .await;
    let kpis = wait_text(&app, "[data-testid='quarterly-kpis']", "42,5").await;
    assert!(kpis.contains("50 %"), "{kpis}");
    wait_text(&app, "[data-testid='quarterly-row-4.2']", "400 000,00").await;
    screenshot(&app, "reports-quarterly").await;
    let out = data.path().join("Мониторинг.pdf");
    answer_dialog(data.path(), &[&out]);
    click(&app, "[data-testid='save-pdf']").await;
    wait_text(&app, "[data-testid='toast']", "Мониторинг.pdf").await;
    let text = pdftotext(&out);
    assert!(
        text.contains(&format!("Мониторинг КПЭ за I квартал {year} г.")),
        "{text}"
    );

    // The demand analysis for next year shows this year's service.
    click(&app, "[data-testid='report-kind-demand']").await;
    wait_text(&app, "[data-testid='demand-row-4.2']", "Изменить").await;
    screenshot(&app, "reports-demand").await;

    // «Консультации»: a quick entry from the keyboard; the SME's consultation joins KPI 1 once.
    click(&app, "[data-testid='nav-consultations']").await;
    wait_text(&app, "[data-testid='consult-empty']", "пока нет").await;
    fill(&app, "sme_search", "Амурская").await;
    click(&app, "[data-testid='sme-match']").await;
    fill(&app, "topic", "Сертификация для Китая").await;
    find(&app, "[name='topic']")
        .await
        .send_keys(&format!(
            "{}{}",
            fantoccini::key::Key::Control,
            fantoccini::key::Key::Enter
        ))
        .await
        .unwrap();
    wait_text(&app, "[data-testid='consult-list']", "Сертификация для Китая").await;
    screenshot(&app, "consultations").await;
    click(&app, "[data-testid='nav-home']").await;
    wait_text(&app, "[data-testid='kpi-value-smes_supported']", "1").await;
    click(&app, "[data-testid='kpi-value-smes_supported']").await;
    wait_text(&app, "[data-testid='trace-panel']", "консультаций: 1").await;
    app.close().await.unwrap();
}

async fn select(c: &fantoccini::Client, css: &str, value: &str) {
    find(c, css)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
}

async fn type_into(c: &fantoccini::Client, testid: &str, text: &str) {
    let e = find(c, &format!("[data-testid='{testid}']")).await;
    e.clear().await.unwrap_or_else(|err| panic!("clear {testid}: {err}"));
    e.send_keys(text)
        .await
        .unwrap_or_else(|err| panic!("type into {testid}: {err}"));
}

/// Sets a date input as the date picker would (typed dates depend on the locale).
async fn set(c: &fantoccini::Client, testid: &str, value: &str) {
    let css = format!("[data-testid='{testid}']");
    find(c, &css).await;
    let script = "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
                  e.dispatchEvent(new Event('input', { bubbles: true })); \
                  e.dispatchEvent(new Event('change', { bubbles: true }));";
    c.execute(script, vec![css.into(), value.into()])
        .await
        .expect("set the value");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn an_export_contract_entered_in_the_app_shows_in_the_yearly_report() {
    let year = chrono::Local::now().year();
    let data = tempfile::tempdir().unwrap();
    seed(data.path(), year, false);
    let (_driver, app) = launch_retrying(data.path()).await;

    wait_text(&app, "[data-testid='kpi-value-smes_with_contracts']", "0").await;

    click(&app, "[data-testid='nav-export']").await;
    click(&app, "[data-testid='export-tab-contracts']").await;
    click(&app, "[data-testid='ec-new']").await;
    type_into(&app, "sme-search", "7707329152").await;
    click(&app, "[data-testid='sme-match']").await;
    wait_text(&app, "[data-testid='sme-chosen']", "Амурская рыба").await;
    wait_text(&app, "[data-testid='ec-agreement']", "услуга 4.2").await;
    let agreement = find(&app, "[data-testid='ec-agreement'] option:nth-child(2)")
        .await
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    select(&app, "[data-testid='ec-agreement']", &agreement).await;
    type_into(&app, "ec-subject", "Рыба мороженая, 40 т").await;
    type_into(&app, "ec-number", "AR-2").await;
    select(&app, "[data-testid='ec-country']", "156").await;
    type_into(&app, "ec-counterparty", "Dalian Ocean Foods").await;
    select(&app, "[data-testid='ec-currency']", "USD").await;
    type_into(&app, "ec-amount", "42 500").await;
    set(&app, "ec-reported", &format!("{year}-02-25")).await;
    set(&app, "ec-date", &format!("{year}-02-20")).await;
    type_into(&app, "ec-volume-amount-0", "42500").await;
    wait_plain(&app, "[data-testid='ec-volume-usd-0']", "42,5").await;
    click(&app, "[data-testid='ec-save']").await;
    wait_text(&app, "[data-testid='toast']", "Контракт сохранён").await;

    click(&app, "[data-testid='nav-reports']").await;
    wait_text(&app, "[data-testid='preview-kpi-2']", "1").await;
    wait_text(&app, "[data-testid='preview-kpi-3']", "42,5").await;
    wait_text(&app, "[data-testid='preview-businesses']", "Dalian Ocean Foods").await;
    click(&app, "[data-testid='preview-kpi-3']").await;
    wait_text(&app, "[data-testid='trace-panel']", "AR-2").await;
    screenshot(&app, "reports-contract-from-ui").await;
    app.close().await.unwrap();
}
