//! Journey of the «Экспорт» section through the real app: staff import a Central Bank rates file, enter an export contract an SME reported (linked to its completed agreement; a day without a rate is a question, not a guess), see it in the list in thousand US dollars and in the SME's card, then add a foreign buyer and find it by search.

use std::path::PathBuf;
use std::str::FromStr;

use chrono::NaiveDate;
use cpe_core::agreement::{self, AgreementInput, AgreementItemInput, PlannedPayment};
use cpe_core::application::{self, ApplicationInput, ApplicationStatus, Channel, TransitionInput};
use cpe_core::audit::Ctx;
use cpe_core::{act, budget};
use cpe_e2e::*;
use rust_decimal::Decimal;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn money(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// An eligible SME whose agreement on 4.2 is completed by a signed act (so a contract may result from it).
fn seed(dir: &std::path::Path) {
    let mut conn = cpe_core::db::open_in(dir).expect("database");
    let ctx = Ctx::new("Петрова Анна Сергеевна", chrono::Local::now().naive_local());
    let sme_id = add_eligible_sme(&mut conn, &ctx, "ООО «Амурский мёд»", "7707329152");
    budget::set_line(&mut conn, &ctx, 2025, "4.2", money("5000000")).expect("budget");
    let app = application::add(
        &mut conn,
        &ctx,
        &ApplicationInput {
            sme_id,
            service_code: "4.2".into(),
            item_codes: vec![],
            received_on: day("2025-02-03"),
            channel: Channel::Email,
            responsible_staff_id: None,
            comment: String::new(),
        },
    )
    .expect("application");
    for to in [ApplicationStatus::UnderReview, ApplicationStatus::Approved] {
        let t = TransitionInput {
            to,
            comment: String::new(),
            refusal: None,
        };
        application::transition(&mut conn, &ctx, app.id, &t).expect("moved");
    }
    let a = agreement::create(
        &mut conn,
        &ctx,
        &AgreementInput {
            sme_id,
            application_id: Some(app.id),
            date: day("2025-02-06"),
            service_code: "4.2".into(),
            participants: None,
            declaration_signed: true,
            items: vec![AgreementItemInput {
                item_code: "4.2".into(),
                cost: money("300000"),
                sme_share: money("60000"),
                state_fees: Decimal::ZERO,
                contractor_id: None,
                contract_id: None,
                quantity: Default::default(),
            }],
            payment_schedule: vec![PlannedPayment {
                due_on: day("2025-02-20"),
                amount: money("60000"),
                contract_id: None,
            }],
            stages: vec![],
            format: None,
            selection: None,
            event_id: None,
        },
    )
    .expect("agreement");
    agreement::sign(&mut conn, &ctx, a.id, day("2025-02-07")).expect("agreement signed");
    let done = act::add(
        &mut conn,
        &ctx,
        &act::ActInput {
            agreement_id: a.id,
            stage_id: None,
            number: String::new(),
            date: day("2025-03-03"),
            items: vec![act::ActItemInput {
                item_code: "4.2".into(),
                amount: money("300000"),
            }],
        },
    )
    .expect("act");
    act::sign(&mut conn, &ctx, done.id, day("2025-03-03")).expect("act signed");
    // 4.2 is standalone; the 3-year reporting window a complex service opens is recorded here directly.
    conn.execute(
        "INSERT INTO export_reporting_obligation (agreement_id, sme_id, starts_on, ends_on) VALUES (?1, ?2, ?3, ?4)",
        cpe_core::params![a.id, sme_id, "2025-03-03", "2028-03-03"],
    )
    .expect("reporting window");
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../src-tauri/crates/core/tests/data/cbr")
        .join(name)
        .display()
        .to_string()
}

async fn select(c: &Client, css: &str, value: &str) {
    find(c, css)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
}

/// Sets an input as a person's typing or the date picker would (dates typed depend on the locale).
async fn set(c: &Client, testid: &str, value: &str) {
    let css = format!("[data-testid='{testid}']");
    find(c, &css).await;
    let script = "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
                  e.dispatchEvent(new Event('input', { bubbles: true })); \
                  e.dispatchEvent(new Event('change', { bubbles: true }));";
    c.execute(script, vec![css.into(), value.into()])
        .await
        .expect("set the value");
}

async fn type_into(c: &Client, testid: &str, text: &str) {
    let e = find(c, &format!("[data-testid='{testid}']")).await;
    e.clear().await.unwrap_or_else(|err| panic!("clear {testid}: {err}"));
    e.send_keys(text)
        .await
        .unwrap_or_else(|err| panic!("type into {testid}: {err}"));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn rates_contract_and_buyer_end_to_end() {
    let data = tempfile::tempdir().unwrap();
    seed(data.path());
    let (_driver, app) = launch_retrying(data.path()).await;
    click(&app, "[data-testid='nav-export']").await;

    // Import the CB daily file of 14.03.2025 (windows-1251) through the screen.
    click(&app, "[data-testid='export-tab-rates']").await;
    let daily = std::path::PathBuf::from(fixture("daily_2025-03-14_cp1251.xml"));
    answer_dialog(data.path(), &[&daily]);
    click(&app, "[data-testid='rates-choose']").await;
    click(&app, "[data-testid='rates-import-run']").await;
    wait_text(&app, "[data-testid='rates-report']", "загружено 5, без изменений 0").await;
    wait_count(&app, "[data-testid='rate-row']", 5).await;
    wait_plain(&app, "[data-testid='rates-table']", "0,58674").await;
    screenshot(&app, "export-rates").await;

    // Enter the contract the SME reported.
    click(&app, "[data-testid='export-tab-contracts']").await;
    wait_text(&app, "[data-testid='ec-empty']", "Контрактов не найдено").await;
    click(&app, "[data-testid='ec-new']").await;
    type_into(&app, "sme-search", "7707329152").await;
    click(&app, "[data-testid='sme-match']").await;
    wait_text(&app, "[data-testid='sme-chosen']", "Амурский мёд").await;
    wait_text(&app, "[data-testid='ec-agreement']", "услуга 4.2 (оказана)").await;
    let agreement_value = find(&app, "[data-testid='ec-agreement'] option:nth-child(2)")
        .await
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    select(&app, "[data-testid='ec-agreement']", &agreement_value).await;
    type_into(&app, "ec-subject", "Мёд натуральный липовый, 20 т").await;
    type_into(&app, "ec-number", "HSW-2025/03").await;
    select(&app, "[data-testid='ec-country']", "156").await;
    type_into(&app, "ec-counterparty", "Harbin Sweet Trading Co., Ltd.").await;
    select(&app, "[data-testid='ec-currency']", "CNY").await;
    type_into(&app, "ec-amount", "1 000 000").await;
    type_into(&app, "ec-volume-amount-0", "1000000").await;
    set(&app, "ec-reported", "2025-03-20").await;

    // A Tuesday without a stored rate: the form asks for it and offers to type it in.
    set(&app, "ec-date", "2025-03-18").await;
    wait_text(
        &app,
        "[data-testid='ec-missing-rate']",
        "Нет курса ЦБ CNY на 18.03.2025",
    )
    .await;
    app.execute(
        "document.querySelector(\"[data-testid='ec-missing-rate']\").scrollIntoView({block: 'center'})",
        vec![],
    )
    .await
    .expect("scroll");
    screenshot(&app, "export-missing-rate").await;
    type_into(&app, "manual-rate-value", "11,8").await;
    click(&app, "[data-testid='manual-rate-save']").await;
    wait_text(
        &app,
        "[data-testid='ec-missing-rate']",
        "Нет курса ЦБ USD на 18.03.2025",
    )
    .await;

    // The contract's real date has the imported rates: 1 000 000 ¥ × 11.9563 ÷ 86.8389 = 137 683.69 $.
    set(&app, "ec-date", "2025-03-14").await;
    wait_plain(&app, "[data-testid='ec-conversion']", "137,684 тыс. долл. США").await;
    wait_plain(&app, "[data-testid='ec-volume-usd-0']", "137,684").await;
    wait_plain(&app, "[data-testid='ec-due']", "04.04.2025").await;
    screenshot(&app, "export-contract-form").await;
    click(&app, "[data-testid='ec-save']").await;
    wait_text(&app, "[data-testid='toast']", "Контракт сохранён").await;
    let row = wait_plain(&app, "[data-testid='ec-row']", "137,684").await;
    assert!(
        row.contains("Амурский мёд")
            && row.contains("Китай")
            && row.contains("1 000 000 CNY")
            && row.contains("услуга 4.2"),
        "{row}"
    );
    screenshot(&app, "export-contracts").await;

    // A foreign buyer added by hand, found by a word of its name and by its ТН ВЭД code.
    click(&app, "[data-testid='export-tab-buyers']").await;
    wait_text(&app, "[data-testid='fb-list']", "Harbin Sweet Trading").await;
    click(&app, "[data-testid='fb-new']").await;
    type_into(&app, "bf-name", "ТОО «Медовый Дом»").await;
    select(&app, "[data-testid='bf-country']", "398").await;
    type_into(&app, "bf-city", "Алматы").await;
    type_into(&app, "bf-contact_person", "Айгерим Сапарова").await;
    type_into(&app, "bf-products", "Мёд, джемы").await;
    type_into(&app, "bf-hs_codes", "0409 2007").await;
    type_into(&app, "bf-source_text", "Выставка «Продэкспо-2025»").await;
    click(&app, "[data-testid='bf-save']").await;
    wait_text(&app, "[data-testid='toast']", "сохранён").await;
    wait_count(&app, "[data-testid='fb-row']", 2).await;
    type_into(&app, "fb-search", "медовый").await;
    wait_count(&app, "[data-testid='fb-row']", 1).await;
    let found = wait_text(&app, "[data-testid='fb-row']", "Медовый Дом").await;
    assert!(found.contains("Казахстан") && found.contains("0409, 2007"), "{found}");
    set(&app, "fb-search", "").await;
    type_into(&app, "fb-hs", "17").await;
    wait_count(&app, "[data-testid='fb-row']", 0).await;
    type_into(&app, "fb-hs", "04").await;
    wait_text(&app, "[data-testid='fb-row']", "Медовый Дом").await;
    screenshot(&app, "export-buyers").await;

    // The buyer made from the contract's counterparty: its card lists the contract and the SME.
    set(&app, "fb-hs", "").await;
    type_into(&app, "fb-search", "harbin").await;
    wait_text(&app, "[data-testid='fb-list']", "Harbin Sweet Trading").await;
    wait_count(&app, "[data-testid='fb-row']", 1).await;
    click(&app, "[data-testid='fb-row'] td").await;
    let card = wait_plain(&app, "[data-testid='buyer-form']", "137,684").await;
    assert!(
        card.contains("Амурский мёд") && card.contains("Мёд натуральный липовый"),
        "{card}"
    );
    screenshot(&app, "export-buyer-card").await;

    // The SME's window is open and it last reported on 20.03.2025: it is on the reminder list until contacted.
    click(&app, "[data-testid='export-tab-reminders']").await;
    let row = wait_text(&app, "[data-testid='reminder-row']", "Амурский мёд").await;
    assert!(row.contains("20.03.2025") && row.contains("1/2025-С"), "{row}");
    screenshot(&app, "export-reminders").await;
    click(&app, "[data-testid='reminder-contact']").await;
    type_into(&app, "reminder-comment", "Обещали прислать новый контракт").await;
    click(&app, "[data-testid='reminder-save']").await;
    wait_text(&app, "[data-testid='reminders-empty']", "Напоминать некому").await;

    // The SME's card shows the contract.
    click(&app, "[data-testid='nav-sme']").await;
    click(&app, "[data-testid='sme-row']").await;
    wait_plain(&app, "[data-testid='sme-export-contracts']", "137,684").await;
    screenshot(&app, "export-sme-card").await;
}
