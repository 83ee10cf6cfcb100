//! Journeys of the daily workflow through the real app: an application from receipt through review and approval to an agreement created with the calculator, changed while a draft, signed, closed by a signed act and completed; and a refusal with its §6.1 reason.

use chrono::Datelike;
use cpe_core::audit::Ctx;
use cpe_e2e::*;

/// An SME whose eligibility was confirmed today and this year's budget for service 4.2.
fn seed(dir: &std::path::Path) {
    let mut conn = cpe_core::db::open_in(dir).expect("database");
    let now = chrono::Local::now().naive_local();
    let ctx = Ctx::new("Петрова Анна Сергеевна", now);
    add_eligible_sme(&mut conn, &ctx, "ООО «Амурская рыба»", "7707329152");
    let amount = cpe_core::money::parse_rub("5000000").expect("an amount");
    cpe_core::budget::set_line(&mut conn, &ctx, now.date().year(), "4.2", amount).expect("budget line");
}

async fn select(c: &Client, css: &str, value: &str) {
    find(c, css)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
}

/// Sets a date input as the date picker would (typing into it depends on the locale).
async fn set_date(c: &Client, css: &str, iso: &str) {
    find(c, css).await;
    let script = "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
                  e.dispatchEvent(new Event('input', { bubbles: true })); \
                  e.dispatchEvent(new Event('change', { bubbles: true }));";
    c.execute(script, vec![css.into(), iso.into()])
        .await
        .expect("set the date");
}

/// Fails when the screen scrolls sideways, naming the widest element (an office user on a small
/// monitor would have to scroll to see the form's edge).
async fn assert_no_sideways_scroll(c: &Client, screen: &str) {
    let script = "const m = document.querySelector('.content'); \
                  if (m.scrollWidth <= m.clientWidth + 1) return ''; \
                  let worst = null; let right = 0; \
                  for (const e of m.querySelectorAll('*')) { const r = e.getBoundingClientRect().right; \
                    if (r > right) { right = r; worst = e; } } \
                  const w = (e) => e.tagName + '.' + e.className + '=' + Math.round(e.getBoundingClientRect().width); \
                  const kids = []; for (const e of m.querySelectorAll('section *')) { const d = e.style.display; e.style.display = 'none'; \
                    if (m.scrollWidth <= m.clientWidth + 1) kids.push(w(e)); e.style.display = d; } \
                  return m.scrollWidth + ' > ' + m.clientWidth + ': ' + w(worst) + ' ' + \
                    (worst.getAttribute('data-testid') || '') + ' wide inside: ' + kids.slice(0, 6).join(', ');";
    let found = c.execute(script, vec![]).await.expect("layout check");
    assert_eq!(found.as_str().unwrap_or(""), "", "{screen} scrolls sideways");
}

/// Registers an application of the seeded SME for service 4.2 and opens its card.
async fn register_application(app: &Client) {
    click(app, "[data-testid='nav-applications']").await;
    click(app, "[data-testid='app-new']").await;
    fill(app, "sme_search", "Амурская").await;
    click(app, "[data-testid='sme-match']").await;
    wait_plain(app, "[data-testid='sme-chosen']", "7707329152").await;
    select(app, "[data-testid='app-channel']", "email").await;
    select(app, "[data-testid='app-service']", "4.2").await;
    screenshot(app, "workflow-application-form").await;
    assert_no_sideways_scroll(app, "the application form").await;
    click(app, "[data-testid='app-save']").await;
    wait_plain(app, "[data-testid='app-status']", "Новая").await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn application_to_completed_agreement_and_a_refusal() {
    let data = tempfile::tempdir().unwrap();
    seed(data.path());
    let (_driver, app) = launch_retrying(data.path()).await;
    let today = chrono::Local::now().date_naive();

    // A contractor: a wrong INN is explained next to the field, the fixed one is listed.
    click(&app, "[data-testid='nav-contractors']").await;
    click(&app, "[data-testid='contractor-new']").await;
    fill(&app, "contractor_name", "ООО «Сертификация Восток»").await;
    fill(&app, "contractor_inn", "77073291").await;
    click(&app, "[data-testid='contractor-save']").await;
    wait_plain(&app, "[data-testid='error-inn']", "ИНН").await;
    screenshot(&app, "workflow-contractor-error").await;
    fill(&app, "contractor_inn", "7736050003").await;
    set_date(
        &app,
        "[name='contractor_declaration']",
        &today.format("%Y-%m-%d").to_string(),
    )
    .await;
    click(&app, "[name='contractor_accredited']").await;
    click(&app, "[data-testid='contractor-save']").await;
    wait_plain(&app, "[data-testid='contractor-list']", "Сертификация Восток").await;
    screenshot(&app, "workflow-contractors").await;

    // Receipt, the checklist, review and approval: only the allowed buttons are offered.
    register_application(&app).await;
    wait_count(&app, "[data-testid='app-to-approved']", 0).await;
    if let Ok(doc) = app.find(Locator::Css("[data-testid^='app-doc-']")).await {
        doc.click().await.unwrap();
        wait_plain(&app, "[data-testid='app-documents']", "получен").await;
    }
    click(&app, "[data-testid='app-to-under_review']").await;
    wait_plain(&app, "[data-testid='app-status']", "На рассмотрении").await;
    click(&app, "[data-testid='app-to-approved']").await;
    wait_plain(&app, "[data-testid='app-status']", "Одобрена").await;
    wait_plain(&app, "[data-testid='app-timeline']", "На рассмотрении").await;
    screenshot(&app, "workflow-application-card").await;

    // The agreement: the calculator decides the shares; saving is blocked while a rule is broken.
    click(&app, "[data-testid='app-make-agreement']").await;
    click(&app, "[data-testid='declaration']").await;
    fill(&app, "cost-4.2", "1 000 000").await;
    fill(&app, "sme_share-4.2", "100 000").await;
    wait_plain(&app, "[data-testid='calc-block-reason']", "Подписывать нельзя").await;
    fill(&app, "sme_share-4.2", "200 000").await;
    wait_plain(&app, "[data-testid='total-centre-share']", "800 000,00 ₽").await;
    let due = today + chrono::Duration::days(14);
    set_date(
        &app,
        "[data-testid='agr-pay-due-0']",
        &due.format("%Y-%m-%d").to_string(),
    )
    .await;
    fill_testid(&app, "agr-pay-amount-0", "200 000").await;
    let contractor = find(&app, "[data-testid='agr-contractor-4.2'] option:nth-child(2)").await;
    contractor.click().await.unwrap();
    // The contractor has no contract yet: one is added right in the form and chosen for the item.
    click(&app, "[data-testid='agr-contract-new-4.2']").await;
    fill(&app, "new_contract_number_4.2", "17-С").await;
    fill(&app, "new_contract_amount_4.2", "950 000").await;
    click(&app, "[data-testid='agr-contract-add-4.2']").await;
    wait_plain(&app, "[data-testid='agr-contract-4.2'] option:checked", "№ 17-С").await;
    // §6.1.4: the SME's payment deadline is the one of the contractor's contract.
    click(&app, "[data-testid='agr-pay-source-0'] option:nth-child(2)").await;
    // One planned stage, its end typed the Russian way.
    click(&app, "[data-testid='agr-stage-add']").await;
    fill(&app, "stage_name_0", "Испытания продукции").await;
    let stage_end = today + chrono::Duration::days(60);
    fill(&app, "stage_ends_0", &stage_end.format("%d.%m.%Y").to_string()).await;
    screenshot(&app, "workflow-agreement-form").await;
    assert_no_sideways_scroll(&app, "the agreement form").await;
    wait_enabled(&app, "[data-testid='calc-submit']", true).await;
    click(&app, "[data-testid='calc-submit']").await;
    wait_plain(&app, "[data-testid='app-status']", "Одобрена").await;

    // Signing on the day the original came back: the application follows the agreement.
    click(&app, "[data-testid='nav-agreements']").await;
    wait_plain(&app, "[data-testid='agr-list']", "Проект").await;
    screenshot(&app, "workflow-agreements-list").await;
    click(&app, "[data-testid='agr-row'] button").await;
    wait_plain(&app, "[data-testid='agr-status']", "Проект").await;
    let number = find(&app, "#agr-card-title").await.text().await.unwrap();
    screenshot(&app, "workflow-agreement-draft").await;

    // The SME asked for more before signing: the draft opens in the same form with every term as
    // saved, the engine checks the change, and the number stays.
    click(&app, "[data-testid='agr-edit']").await;
    wait_plain(&app, "#agr-form-title", "Изменение проекта").await;
    // The SME and the service are the application's: shown, not offered for change.
    wait_plain(&app, "[data-testid='sme-chosen']", "7707329152").await;
    wait_count(&app, "[data-testid='sme-change']", 0).await;
    assert!(!find(&app, "[data-testid='service']").await.is_enabled().await.unwrap());
    assert_eq!(value(&app, "[name='cost-4.2']").await, "1 000 000,00");
    assert_eq!(value(&app, "[name='sme_share-4.2']").await, "200 000,00");
    assert_eq!(value(&app, "[name='stage_name_0']").await, "Испытания продукции");
    wait_plain(&app, "[data-testid='agr-contract-4.2'] option:checked", "№ 17-С").await;
    fill(&app, "cost-4.2", "1 200 000").await;
    wait_plain(&app, "[data-testid='calc-block-reason']", "Подписывать нельзя").await;
    fill(&app, "sme_share-4.2", "240 000").await;
    wait_plain(&app, "[data-testid='total-centre-share']", "960 000,00 ₽").await;
    fill_testid(&app, "agr-pay-amount-0", "240 000").await;
    screenshot(&app, "workflow-agreement-edit").await;
    wait_enabled(&app, "[data-testid='calc-submit']", true).await;
    click(&app, "[data-testid='calc-submit']").await;
    wait_plain(&app, "[data-testid='agr-items']", "1 200 000,00 ₽").await;
    wait_plain(&app, "[data-testid='agr-items']", "960 000,00 ₽").await;
    assert_eq!(find(&app, "#agr-card-title").await.text().await.unwrap(), number);
    wait_plain(&app, "[data-testid='agr-status']", "Проект").await;

    // §4.3(3): the contractor's general declaration is not the declaration for this SME; signing
    // says so, and the pair's declaration is recorded on the card.
    wait_plain(&app, "[data-testid='agr-declarations']", "нет заявления").await;
    click(&app, "[data-testid='agr-sign']").await;
    wait_plain(&app, "[data-testid='agr-error']", "п. 4.3(3)").await;
    click(&app, "[data-testid^='agr-decl-save-']").await;
    wait_plain(
        &app,
        "[data-testid='agr-declarations']",
        &format!("от {}", today.format("%d.%m.%Y")),
    )
    .await;
    screenshot(&app, "workflow-agreement-declarations").await;
    dismiss_toast(&app).await;
    click(&app, "[data-testid='agr-sign']").await;
    wait_plain(&app, "[data-testid='agr-status']", "Подписано").await;
    wait_plain(&app, "[data-testid='agr-items']", "Сертификация Восток").await;
    wait_plain(&app, "[data-testid='agr-items']", "договор № 17-С").await;
    wait_plain(
        &app,
        "[data-testid='agr-stages']",
        &format!("Испытания продукции: до {}", stage_end.format("%d.%m.%Y")),
    )
    .await;
    wait_plain(&app, "[data-testid='payment-schedule']", "ожидается").await;
    wait_plain(
        &app,
        "[data-testid='payment-source-0']",
        "срок по договору с исполнителем «ООО «Сертификация Восток»» № 17-С",
    )
    .await;

    // A received payment, then an act for the whole agreement, signed: the agreement completes.
    // The confirmation sits over the bottom right corner, where «Записать платёж» is now.
    dismiss_toast(&app).await;
    click(&app, "[data-testid='payment-new']").await;
    fill(&app, "payment_amount", "240 000").await;
    fill(&app, "payment_document", "118").await;
    click(&app, "[data-testid='payment-save']").await;
    wait_plain(&app, "[data-testid='payment-schedule']", "оплачен").await;
    click(&app, "[data-testid='act-new']").await;
    select(&app, "[data-testid='act-stage-select']", "").await;
    click(&app, "[data-testid='act-save']").await;
    wait_count(&app, "[data-testid='act-row']", 1).await;
    wait_plain(&app, "[data-testid='act-stage']", "соглашение целиком").await;
    // The unsigned act already claims the whole agreement: no second act is offered.
    wait_count(&app, "[data-testid='act-new']", 0).await;
    screenshot(&app, "workflow-agreement-act").await;
    click(&app, "[data-testid='act-sign']").await;
    wait_plain(&app, "[data-testid='agr-status']", "Исполнено").await;
    wait_plain(&app, "[data-testid='act-signed']", "подписан").await;
    screenshot(&app, "workflow-agreement-completed").await;
    assert_no_sideways_scroll(&app, "the agreement card").await;

    click(&app, "[data-testid='nav-applications']").await;
    wait_plain(&app, "[data-testid='app-list']", "Завершена").await;

    // The contractor's card lists the contract made from the agreement form, with its amount.
    click(&app, "[data-testid='nav-contractors']").await;
    click(&app, "[data-testid='contractor-row'] button").await;
    wait_plain(&app, "[data-testid='contract-list']", "17-С").await;
    wait_plain(&app, "[data-testid='contract-list']", "950 000,00 ₽").await;
    click(&app, "[data-testid='nav-applications']").await;

    // A refusal: the reason is required, then the application is closed with it.
    register_application(&app).await;
    click(&app, "[data-testid='app-refuse-open']").await;
    click(&app, "[data-testid='refuse-save']").await;
    wait_plain(&app, "[data-testid='error-reason']", "основание").await;
    select(&app, "[data-testid='refuse-reason']", "documents").await;
    find(&app, "[data-testid='refuse-text']")
        .await
        .send_keys("Не представлена выписка из ЕГРЮЛ")
        .await
        .unwrap();
    click(&app, "[data-testid='refuse-save']").await;
    wait_plain(&app, "[data-testid='app-status']", "Отказ ЦПЭ").await;
    wait_plain(&app, "[data-testid='app-refusal']", "6.1.3").await;
    wait_count(&app, "[data-testid='app-refuse-open']", 0).await;
    screenshot(&app, "workflow-refusal").await;
    click(&app, "[data-testid='app-card-close']").await;
    wait_plain(&app, "[data-testid='app-list']", "Отказ ЦПЭ").await;
    screenshot(&app, "workflow-applications-list").await;
    app.close().await.unwrap();
}

/// Closes the confirmation toast if one is shown, as a person would before clicking under it.
async fn dismiss_toast(c: &Client) {
    if let Ok(close) = c.find(Locator::Css(".toast-close")).await {
        let _ = close.click().await;
    }
    wait_count(c, "[data-testid='toast']", 0).await;
}

/// Types into the input with this data-testid.
async fn fill_testid(c: &Client, testid: &str, text: &str) {
    let e = find(c, &format!("[data-testid='{testid}']")).await;
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

/// A signed agreement of 20 days ago whose SME share was due 5 days ago, made through the core.
fn seed_overdue(dir: &std::path::Path) {
    use cpe_core::agreement::{self, AgreementInput, AgreementItemInput, PlannedPayment};
    use cpe_core::application::{self, ApplicationInput, ApplicationStatus, Channel, TransitionInput};
    let mut conn = cpe_core::db::open_in(dir).expect("database");
    let now = chrono::Local::now().naive_local();
    let then = now - chrono::Duration::days(20);
    let ctx = Ctx::new("Петрова Анна Сергеевна", then);
    let sme_id = add_eligible_sme(&mut conn, &ctx, "ООО «Должник»", "7707083893");
    let rub = |s: &str| cpe_core::money::parse_rub(s).unwrap();
    for year in [then.date().year(), now.date().year()] {
        let _ = cpe_core::budget::set_line(&mut conn, &ctx, year, "4.2", rub("5000000"));
    }
    let input = ApplicationInput {
        sme_id,
        service_code: "4.2".into(),
        item_codes: vec!["4.2".into()],
        received_on: then.date(),
        channel: Channel::Visit,
        responsible_staff_id: None,
        comment: String::new(),
    };
    let app = application::add(&mut conn, &ctx, &input).unwrap();
    for to in [ApplicationStatus::UnderReview, ApplicationStatus::Approved] {
        let t = TransitionInput {
            to,
            comment: String::new(),
            refusal: None,
        };
        application::transition(&mut conn, &ctx, app.id, &t).unwrap();
    }
    let input = AgreementInput {
        sme_id,
        application_id: Some(app.id),
        date: then.date(),
        service_code: "4.2".into(),
        participants: None,
        declaration_signed: true,
        items: vec![AgreementItemInput {
            item_code: "4.2".into(),
            cost: rub("500000"),
            sme_share: rub("100000"),
            state_fees: rub("0"),
            contractor_id: None,
            contract_id: None,
            quantity: Default::default(),
        }],
        payment_schedule: vec![PlannedPayment {
            due_on: (now - chrono::Duration::days(5)).date(),
            amount: rub("100000"),
            contract_id: None,
        }],
        stages: vec![],
        format: None,
        selection: None,
        event_id: None,
    };
    let a = agreement::create(&mut conn, &ctx, &input).expect("agreement created");
    agreement::sign(&mut conn, &Ctx::new("Петрова Анна Сергеевна", now), a.id, then.date()).expect("signed");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn an_overdue_payment_is_shown_and_refused_under_6_1_4() {
    let data = tempfile::tempdir().unwrap();
    seed_overdue(data.path());
    let (_driver, app) = launch_retrying(data.path()).await;

    click(&app, "[data-testid='nav-applications']").await;
    wait_plain(&app, "[data-testid='attention-payment']", "ООО «Должник»").await;
    wait_plain(&app, "[data-testid='attention-payment']", "100 000,00 ₽").await;
    screenshot(&app, "workflow-attention").await;

    click(&app, "[data-testid='nav-agreements']").await;
    click(&app, "[data-testid='agr-row'] button").await;
    wait_plain(&app, "[data-testid='payment-schedule']", "просрочен").await;
    click(&app, "[data-testid='payment-refuse']").await;
    screenshot(&app, "workflow-overdue-payment").await;
    click(&app, "[data-testid='payment-refuse-confirm']").await;
    wait_plain(&app, "[data-testid='agr-status']", "Расторгнуто").await;

    click(&app, "[data-testid='nav-applications']").await;
    wait_plain(&app, "[data-testid='app-list']", "Отказ ЦПЭ").await;
    wait_count(&app, "[data-testid='attention-payment']", 0).await;
    app.close().await.unwrap();
}

/// A signed agreement for service 4.2 (1 000 000 ₽, SME share 200 000 ₽) in two planned stages,
/// made through the core as of today.
fn seed_staged(dir: &std::path::Path) {
    use cpe_core::agreement::{self, AgreementInput, AgreementItemInput, PlannedPayment, StageInput};
    let mut conn = cpe_core::db::open_in(dir).expect("database");
    let now = chrono::Local::now().naive_local();
    let today = now.date();
    let ctx = Ctx::new("Петрова Анна Сергеевна", now);
    let sme_id = add_eligible_sme(&mut conn, &ctx, "ООО «Этапы»", "7707083893");
    let rub = |s: &str| cpe_core::money::parse_rub(s).unwrap();
    cpe_core::budget::set_line(&mut conn, &ctx, today.year(), "4.2", rub("5000000")).expect("budget line");
    let input = AgreementInput {
        sme_id,
        application_id: None,
        date: today,
        service_code: "4.2".into(),
        participants: None,
        declaration_signed: true,
        items: vec![AgreementItemInput {
            item_code: "4.2".into(),
            cost: rub("1000000"),
            sme_share: rub("200000"),
            state_fees: rub("0"),
            contractor_id: None,
            contract_id: None,
            quantity: Default::default(),
        }],
        payment_schedule: vec![PlannedPayment {
            due_on: today + chrono::Duration::days(30),
            amount: rub("200000"),
            contract_id: None,
        }],
        stages: vec![
            StageInput {
                name: "Испытания продукции".into(),
                starts_on: Some(today),
                ends_on: today + chrono::Duration::days(40),
            },
            StageInput {
                name: "Получение сертификата".into(),
                starts_on: None,
                ends_on: today + chrono::Duration::days(80),
            },
        ],
        format: None,
        selection: None,
        event_id: None,
    };
    let a = agreement::create(&mut conn, &ctx, &input).expect("agreement created");
    agreement::sign(&mut conn, &ctx, a.id, today).expect("signed");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn a_supplementary_agreement_is_checked_by_the_engine_and_a_stage_is_closed_by_its_act() {
    let data = tempfile::tempdir().unwrap();
    seed_staged(data.path());
    let (_driver, app) = launch_retrying(data.path()).await;
    let due = chrono::Local::now().date_naive() + chrono::Duration::days(45);

    click(&app, "[data-testid='nav-agreements']").await;
    click(&app, "[data-testid='agr-row'] button").await;
    wait_plain(&app, "[data-testid='agr-stages']", "Испытания продукции").await;
    wait_plain(&app, "[data-testid='agr-stages']", "Получение сертификата").await;

    // 10 % SME share is below the catalog's 20 %: the engine refuses and nothing changes.
    click(&app, "[data-testid='amend-new']").await;
    fill(&app, "amend-share-4.2", "100 000").await;
    fill(&app, "amend-pay-amount-0", "100 000").await;
    click(&app, "[data-testid='amend-save']").await;
    wait_plain(&app, "[data-testid='amend-error']", "нельзя подписать").await;
    screenshot(&app, "workflow-amendment-refused").await;
    wait_count(&app, "[data-testid='amendment']", 0).await;
    wait_plain(&app, "[data-testid='agr-items']", "200 000,00 ₽").await;

    // A dearer service with 20 % paid by the SME on a later date (typed the Russian way) is accepted.
    fill(&app, "amend-cost-4.2", "1 200 000").await;
    fill(&app, "amend-share-4.2", "240 000").await;
    fill(&app, "amend-pay-amount-0", "240 000").await;
    fill(&app, "amend-pay-due-0", &due.format("%d.%m.%Y").to_string()).await;
    click(&app, "[data-testid='amend-save']").await;
    wait_count(&app, "[data-testid='amendment']", 1).await;
    let row = wait_plain(&app, "[data-testid='amendment']", "1 000 000,00 ₽ → 1 200 000,00 ₽").await;
    assert!(row.contains("200 000,00 ₽ → 240 000,00 ₽"), "{row}");
    assert!(row.contains(&due.format("%d.%m.%Y").to_string()), "{row}");
    wait_plain(&app, "[data-testid='agr-items']", "960 000,00 ₽").await;
    screenshot(&app, "workflow-amendment-accepted").await;
    assert_no_sideways_scroll(&app, "the agreement card with a supplementary agreement").await;

    // An act for the first stage: the form offers it, the act row names it.
    click(&app, "[data-testid='act-new']").await;
    wait_plain(
        &app,
        "[data-testid='act-stage-select'] option:checked",
        "Испытания продукции",
    )
    .await;
    fill(&app, "act-amount-4.2", "500 000").await;
    click(&app, "[data-testid='act-save']").await;
    wait_plain(&app, "[data-testid='act-stage']", "этап 1. Испытания продукции").await;
    click(&app, "[data-testid='act-sign']").await;
    wait_plain(&app, "[data-testid='act-signed']", "подписан").await;
    wait_plain(&app, "[data-testid='agr-items']", "500 000,00 ₽").await;
    screenshot(&app, "workflow-stage-act").await;
    app.close().await.unwrap();
}

/// An SME and its application taken under review today (deadline: 2 working days).
fn seed_under_review(dir: &std::path::Path) -> i64 {
    use cpe_core::application::{self, ApplicationInput, ApplicationStatus, Channel, TransitionInput};
    let mut conn = cpe_core::db::open_in(dir).expect("database");
    let now = chrono::Local::now().naive_local();
    let ctx = Ctx::new("Петрова Анна Сергеевна", now);
    let sme_id = add_eligible_sme(&mut conn, &ctx, "ООО «Сроки»", "7707329152");
    let input = ApplicationInput {
        sme_id,
        service_code: "4.2".into(),
        item_codes: vec!["4.2".into()],
        received_on: now.date(),
        channel: Channel::Email,
        responsible_staff_id: None,
        comment: String::new(),
    };
    let a = application::add(&mut conn, &ctx, &input).unwrap();
    let t = TransitionInput {
        to: ApplicationStatus::UnderReview,
        comment: String::new(),
        refusal: None,
    };
    application::transition(&mut conn, &ctx, a.id, &t).unwrap();
    a.id
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn a_calendar_day_made_a_day_off_moves_an_application_deadline() {
    let data = tempfile::tempdir().unwrap();
    let id = seed_under_review(data.path());
    let today = chrono::Local::now().date_naive();
    let (before, after) = {
        let conn = cpe_core::db::open_in(data.path()).expect("database");
        let d = cpe_core::application::deadline_of(&conn, id, today)
            .unwrap()
            .expect("a deadline");
        let cal = cpe_core::calendar::load(&conn).unwrap();
        // The deadline day becomes a day off: the deadline moves to the next working day.
        let mut next = d.deadline.normative_on.succ_opt().unwrap();
        while !cal.is_working_day(next).unwrap() {
            next = next.succ_opt().unwrap();
        }
        (d.deadline.normative_on, next)
    };
    let (_driver, app) = launch_retrying(data.path()).await;
    let ru = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();

    click(&app, "[data-testid='nav-applications']").await;
    click(&app, "[data-testid='app-row'] button").await;
    wait_plain(&app, "[data-testid='app-deadline-normative']", &ru(before)).await;
    wait_plain(&app, "[data-testid='app-deadline-left']", "осталось 2 рабочих дня").await;
    screenshot(&app, "workflow-application-deadline").await;

    click(&app, "[data-testid='nav-settings']").await;
    wait_plain(&app, "[data-testid='calendar-info']", "Постановление").await;
    if before.year() != today.year() {
        click(&app, &format!("[data-testid='calendar-year-{}']", before.year())).await;
    }
    click(&app, &format!("[data-testid='calendar-day-{before}']")).await;
    select(&app, "[data-testid='calendar-day-kind']", "day_off").await;
    fill(&app, "calendar_day_note", "Закон области о региональном празднике").await;
    click(&app, "[data-testid='calendar-day-save']").await;
    let cell = format!("[data-testid='calendar-day-{before}'][data-kind='day_off']");
    find(&app, &cell).await;
    screenshot(&app, "workflow-calendar").await;
    assert_no_sideways_scroll(&app, "the settings screen").await;

    click(&app, "[data-testid='nav-applications']").await;
    click(&app, "[data-testid='app-row'] button").await;
    wait_plain(&app, "[data-testid='app-deadline-normative']", &ru(after)).await;

    // A year the program has no calendar for is named, not guessed.
    click(&app, "[data-testid='nav-settings']").await;
    fill(&app, "calendar_other_year", "2031").await;
    click(&app, "[data-testid='calendar-show-year']").await;
    wait_plain(
        &app,
        "[data-testid='calendar-error']",
        "нет производственного календаря на 2031 год",
    )
    .await;
    app.close().await.unwrap();
}
