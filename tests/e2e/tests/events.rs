//! The journeys of «Мероприятия» through the real app: a seminar planned today, a business registered by hand and two from a participant list in a CSV file (its bad row named), two of the three marked present, the attendance sheet saved as a PDF, and KPI 1 on «Главная» grown by the two present; a mission's agreements made in one action and signed together, then its participants' acts made together and saved in one PDF; an exhibition's selection decided with its protocol.

use cpe_core::audit::Ctx;
use cpe_e2e::*;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn a_seminar_is_planned_attended_printed_and_counted_in_kpi_1() {
    let data = tempfile::tempdir().unwrap();
    {
        let mut conn = cpe_core::db::open_in(data.path()).expect("database");
        let ctx = Ctx::new("Петрова Анна Сергеевна", chrono::Local::now().naive_local());
        cpe_core::centre::set_field(&mut conn, &ctx, "short_name", "АНО «ЦПЭ Хабаровского края»").expect("settings");
        add_eligible_sme(&mut conn, &ctx, "ООО «Амурская рыба»", "7707329152");
        add_eligible_sme(&mut conn, &ctx, "ООО «Хабаровский лес»", "7707083893");
        add_eligible_sme(&mut conn, &ctx, "ООО «Дальний мёд»", "7736207543");
    }
    let (_driver, app) = launch_retrying(data.path()).await;

    wait_text(&app, "[data-testid='kpi-value-smes_supported']", "0").await;
    click(&app, "[data-testid='nav-events']").await;
    wait_text(&app, "[data-testid='events-empty']", "пока нет").await;
    click(&app, "[data-testid='event-new']").await;
    fill(&app, "title", "Экспорт в Китай: первые шаги").await;
    fill(&app, "place", "г. Хабаровск, ул. Муравьёва-Амурского, 5").await;
    fill(&app, "cost", "30 000").await;
    click(&app, "[data-testid='event-save']").await;
    wait_text(&app, "[data-testid='event-card']", "Экспорт в Китай: первые шаги").await;
    wait_text(&app, "[data-testid='event-status']", "запланировано").await;

    // One business registered by hand, the other from the list the registration form gave.
    fill(&app, "sme_search", "7707329152").await;
    click(&app, "[data-testid='sme-match']").await;
    fill(&app, "attendee", "Иванов Иван Иванович").await;
    click(&app, "[data-testid='register']").await;
    wait_count(&app, "[data-testid='participant-row']", 1).await;
    let list = data.path().join("участники.csv");
    std::fs::write(
        &list,
        "ИНН;ФИО участника\n7707083893;Сидорова Мария Петровна\n1234567890;Кто-то\n7736207543;Мёдов Пётр\n",
    )
    .unwrap();
    answer_dialog(data.path(), &[&list]);
    click(&app, "[data-testid='import-list']").await;
    wait_text(&app, "[data-testid='import-result']", "Строка 3: ИНН 1234567890").await;
    wait_count(&app, "[data-testid='participant-row']", 3).await;

    // Two of the three came: the first mark makes the event «проведено».
    click(
        &app,
        "[data-testid='participant-row']:nth-child(1) input[type='checkbox']",
    )
    .await;
    wait_text(&app, "[data-testid='event-status']", "проведено").await;
    click(
        &app,
        "[data-testid='participant-row']:nth-child(2) input[type='checkbox']",
    )
    .await;
    wait_text(&app, "[data-testid='event-card']", "присутствовало 2").await;
    screenshot(&app, "events-card").await;

    let sheet = data.path().join("лист.pdf");
    answer_dialog(data.path(), &[&sheet]);
    click(&app, "[data-testid='save-pdf']").await;
    wait_text(&app, "[data-testid='toast']", "лист.pdf").await;
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", sheet.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let text = String::from_utf8(text.stdout).unwrap();
    for expected in [
        "ЛИСТ РЕГИСТРАЦИИ УЧАСТНИКОВ",
        "Экспорт в Китай: первые шаги",
        "Иванов Иван Иванович",
        "Сидорова Мария Петровна",
        "Подпись",
    ] {
        assert!(text.contains(expected), "{expected} missing in the sheet:\n{text}");
    }

    click(&app, "[data-testid='nav-home']").await;
    wait_text(&app, "[data-testid='kpi-value-smes_supported']", "2").await;
    click(&app, "[data-testid='kpi-value-smes_supported']").await;
    wait_text(&app, "[data-testid='trace-panel']", "мероприятий: 1").await;
    click(&app, "[data-testid='trace-close']").await;

    // A question the business asked afterwards, recorded from its card in the registry.
    click(&app, "[data-testid='nav-sme']").await;
    find(&app, "[data-testid='sme-search']")
        .await
        .send_keys("7707329152")
        .await
        .unwrap();
    wait_count(&app, "[data-testid='sme-row']", 1).await;
    click(&app, "[data-testid='sme-row']").await;
    click(&app, "[data-testid='sme-consult-new']").await;
    fill(&app, "topic", "Сертификат происхождения для Китая").await;
    click(&app, "[data-testid='consult-save']").await;
    wait_text(
        &app,
        "[data-testid='sme-consultations']",
        "Сертификат происхождения для Китая",
    )
    .await;
    screenshot(&app, "sme-card-consultation").await;
    app.close().await.unwrap();
}

/// A mission of 5.4 with two approved applications and a third business that joins from the
/// event's card (its application made with its agreement): the participants' agreements are made
/// from the event's card after the engine's preview, shown against the minimum of three, signed together
/// with one click, and «Главная» shows the year's plan of events.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn a_missions_agreements_are_made_and_signed_together_and_the_plan_is_on_the_home_screen() {
    let data = tempfile::tempdir().unwrap();
    // Within this year, so that it is in this year's plan on «Главная».
    mission(
        data.path(),
        "Бизнес-миссия: Казахстан, Алматы",
        ("398", "Алматы"),
        3,
        &[
            ("ООО «Амурская рыба»", "7707329152"),
            ("ООО «Хабаровский лес»", "7707083893"),
        ],
    );
    {
        // The third business has no application: it joins from the event's card.
        let mut conn = cpe_core::db::open_in(data.path()).expect("database");
        let ctx = Ctx::new("Петрова Анна Сергеевна", chrono::Local::now().naive_local());
        add_eligible_sme(&mut conn, &ctx, "ООО «Дальний мёд»", "7736207543");
    }
    let (_driver, app) = launch_retrying(data.path()).await;
    click(&app, "[data-testid='nav-events']").await;
    wait_text(&app, "[data-testid='events-list']", "подписано 0 из минимум 3").await;
    click(&app, "[data-testid='events-list'] [data-testid^='event-open-']").await;
    click(&app, "[data-testid='bulk-open']").await;
    fill(&app, "sme_search", "7736207543").await;
    click(&app, "[data-testid='sme-match']").await;
    wait_count(&app, "[data-testid='bulk-newcomer']", 1).await;
    for (code, cost) in [("5.4.a2", "10 000"), ("5.4.b1", "300 000")] {
        let e = find(&app, &format!("[data-testid='bulk-cost-{code}']")).await;
        e.send_keys(cost).await.unwrap();
    }
    click(&app, "[data-testid='bulk-preview']").await;
    wait_count(&app, "[data-testid='bulk-line']", 3).await;
    wait_text(&app, "[data-testid='bulk-lines']", "можно подписывать").await;
    screenshot(&app, "events-bulk-preview").await;
    click(&app, "[data-testid='bulk-make']").await;
    wait_text(&app, "[data-testid='event-signed']", "проектов 3").await;
    wait_count(&app, "[data-testid='event-agreement-row']", 3).await;
    click(&app, "[data-testid='event-sign']").await;
    wait_text(&app, "[data-testid='event-signed']", "подписано 3 из минимум 3").await;
    wait_text(&app, "[data-testid='event-agreements']", "Подписано").await;
    screenshot(&app, "events-mission").await;

    // After the mission, each participant's act in one action, then all of them in one PDF.
    click(&app, "[data-testid='bulk-acts-open']").await;
    click(&app, "[data-testid='acts-preview']").await;
    wait_count(&app, "[data-testid='acts-line']", 3).await;
    wait_text(&app, "[data-testid='acts-make']", "Составить акты (3)").await;
    app.execute(
        "document.querySelector(\"[data-testid='acts-lines']\").scrollIntoView({block: 'center'})",
        vec![],
    )
    .await
    .unwrap();
    screenshot(&app, "events-acts-preview").await;
    click(&app, "[data-testid='acts-make']").await;
    wait_text(&app, "[data-testid='acts-made']", "Составлено актов: 3").await;
    let acts = data.path().join("акты миссии.pdf");
    answer_dialog(data.path(), &[&acts]);
    click(&app, "[data-testid='acts-pdf']").await;
    wait_text(&app, "[data-testid='toast']", "акты миссии.pdf").await;
    let text = std::process::Command::new("pdftotext")
        .args([acts.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let text = String::from_utf8(text.stdout).unwrap();
    for expected in [
        "Амурская рыба",
        "Хабаровский лес",
        "Дальний мёд",
        "Бизнес-миссия: Казахстан",
    ] {
        assert!(text.contains(expected), "{expected} missing in the acts:\n{text}");
    }

    click(&app, "[data-testid='nav-home']").await;
    wait_text(&app, "[data-testid='home-plan']", "0 из 1").await;
    app.close().await.unwrap();
}

/// An exhibition's competitive selection (§5.5.4) from its card: announced last year (before
/// 1 March), two applications scored, decided by protocol — the winner first — and the protocol
/// saved as a PDF.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn an_exhibitions_selection_is_scored_decided_and_its_protocol_saved() {
    use cpe_core::event::{self, EventFormat, EventInput};

    let y = chrono::Datelike::year(&chrono::Local::now().date_naive()) - 1;
    let data = tempfile::tempdir().unwrap();
    {
        let mut conn = cpe_core::db::open_in(data.path()).expect("database");
        let ctx = Ctx::new("Петрова Анна Сергеевна", chrono::Local::now().naive_local());
        add_eligible_sme(&mut conn, &ctx, "ООО «Амурская рыба»", "7707329152");
        add_eligible_sme(&mut conn, &ctx, "ООО «Хабаровский лес»", "7707083893");
        let day = |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        event::add(
            &mut conn,
            &ctx,
            &EventInput {
                service_code: "5.7".into(),
                title: "Выставка «Продэкспо»".into(),
                starts_on: day(6, 10),
                ends_on: day(6, 13),
                format: EventFormat::InPerson,
                place: "Астана, МВЦ «EXPO»".into(),
                country_code: "398".into(),
                city: "Астана".into(),
                exhibition: "Международная выставка «Продэкспо»".into(),
                in_plan: true,
                contract_id: None,
                cost: None,
            },
        )
        .expect("exhibition");
    }
    let (_driver, app) = launch_retrying(data.path()).await;
    click(&app, "[data-testid='nav-events']").await;
    click(&app, "[data-testid='events-list'] [data-testid^='event-open-']").await;
    click(&app, "[data-testid='selection-new']").await;
    fill(&app, "announced_on", &format!("15.01.{y}")).await;
    fill(&app, "deadline", &format!("10.02.{y}")).await;
    fill(&app, "places", "1").await;
    click(&app, "[data-testid='selection-save']").await;
    wait_text(&app, "[data-testid='selection']", "Заявок пока нет").await;
    for (inn, on) in [("7707329152", "20.01"), ("7707083893", "25.01")] {
        fill(&app, "sme_search", inn).await;
        click(&app, "[data-testid='sme-match']").await;
        fill(&app, "submitted_on", &format!("{on}.{y}")).await;
        click(&app, "[data-testid='selection-apply']").await;
        wait_text(&app, "[data-testid='selection-candidates']", inn).await;
    }
    wait_count(&app, "[data-testid='candidate-row']", 2).await;
    for (row, scores) in [(1, ["6", "2"]), (2, ["9", "4"])] {
        for (i, v) in scores.iter().enumerate() {
            let css = format!("[data-testid='candidate-row']:nth-child({row}) input[data-testid$='-{i}']");
            let e = find(&app, &css).await;
            e.clear().await.unwrap();
            e.send_keys(v).await.unwrap();
        }
        click(
            &app,
            &format!("[data-testid='candidate-row']:nth-child({row}) [data-testid^='score-save-']"),
        )
        .await;
        wait_text(&app, "[data-testid='toast']", "Баллы сохранены").await;
    }
    fill(&app, "decided_on", &format!("20.02.{y}")).await;
    let number = find(&app, "[data-testid='selection-protocol-number']").await;
    number.send_keys("3").await.unwrap();
    click(&app, "[data-testid='selection-decide']").await;
    wait_text(
        &app,
        "[data-testid='selection-protocol']",
        &format!("Протокол № 3 от 20.02.{y}"),
    )
    .await;
    wait_text(&app, "[data-testid='candidate-row']:nth-child(1)", "Хабаровский лес").await;
    screenshot(&app, "events-selection").await;

    let protocol = data.path().join("протокол.pdf");
    answer_dialog(data.path(), &[&protocol]);
    click(&app, "[data-testid='selection-panel'] [data-testid='save-pdf']").await;
    wait_text(&app, "[data-testid='toast']", "протокол.pdf").await;
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", protocol.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("ПРОТОКОЛ № 3") && text.contains("победитель") && text.contains("не прошёл"),
        "{text}"
    );
    app.close().await.unwrap();
}

/// An agreement of a mission made from its application's card names its event: without one it is
/// refused with the field named, with one it is saved and counted on the event's card.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn an_agreement_of_a_mission_is_made_at_its_event_from_the_application() {
    let data = tempfile::tempdir().unwrap();
    mission(
        data.path(),
        "Бизнес-миссия: Узбекистан, Ташкент",
        ("860", "Ташкент"),
        20,
        &[("ООО «Амурская рыба»", "7707329152")],
    );
    let (_driver, app) = launch_retrying(data.path()).await;
    click(&app, "[data-testid='nav-applications']").await;
    click(&app, "[data-testid='app-row'] button").await;
    click(&app, "[data-testid='app-make-agreement']").await;
    wait_text(&app, "[data-testid='agr-event']", "Узбекистан").await;
    fill(&app, "cost-5.4.b1", "300 000").await;
    fill(&app, "cost-5.4.a2", "10 000").await;
    screenshot(&app, "events-agreement-form").await;
    // Without its event the participants are unknown: nothing to save yet.
    wait_text(&app, "[data-testid='calc-block-reason']", "Подписывать нельзя").await;
    wait_text(&app, "[data-testid='agreement-form']", "не менее чем 3").await;
    click(&app, "[data-testid='agr-event-select'] option:nth-child(2)").await;
    wait_text(&app, "[data-testid='calc-waits']", "подписывается вместе").await;
    screenshot(&app, "events-agreement-event-chosen").await;
    wait_enabled(&app, "[data-testid='calc-submit']", true).await;
    click(&app, "[data-testid='calc-submit']").await;
    wait_text(&app, "[data-testid='app-status']", "Одобрена").await;

    click(&app, "[data-testid='nav-events']").await;
    wait_text(
        &app,
        "[data-testid='events-list']",
        "подписано 0 из минимум 3, проектов 1",
    )
    .await;
    app.close().await.unwrap();
}

/// A mission of 5.4 starting `in_days` from today (within this year), the year's budget of 5.4 and
/// businesses with approved applications for it.
fn mission(
    dir: &std::path::Path,
    title: &str,
    (country, city): (&str, &str),
    in_days: u64,
    applicants: &[(&str, &str)],
) {
    use cpe_core::application::{self, ApplicationInput, ApplicationStatus, Channel, TransitionInput};
    use cpe_core::event::{self, EventFormat, EventInput};
    let mut conn = cpe_core::db::open_in(dir).expect("database");
    let now = chrono::Local::now().naive_local();
    let today = now.date();
    let ctx = Ctx::new("Петрова Анна Сергеевна", now);
    let year = chrono::Datelike::year(&today);
    cpe_core::budget::set_line(&mut conn, &ctx, year, "5.4", rust_decimal::Decimal::from(5_000_000)).expect("budget");
    let year_end = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
    let starts_on = (today + chrono::Days::new(in_days)).min(year_end);
    event::add(
        &mut conn,
        &ctx,
        &EventInput {
            service_code: "5.4".into(),
            title: title.into(),
            starts_on,
            ends_on: starts_on,
            format: EventFormat::InPerson,
            place: format!("{city}, деловой центр"),
            country_code: country.into(),
            city: city.into(),
            exhibition: String::new(),
            in_plan: true,
            contract_id: None,
            cost: None,
        },
    )
    .expect("mission");
    for (name, inn) in applicants {
        let sme_id = add_eligible_sme(&mut conn, &ctx, name, inn);
        let app = application::add(
            &mut conn,
            &ctx,
            &ApplicationInput {
                sme_id,
                service_code: "5.4".into(),
                item_codes: vec!["5.4.b1".into(), "5.4.a2".into()],
                received_on: today,
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
            application::transition(&mut conn, &ctx, app.id, &t).expect("approved");
        }
    }
}
