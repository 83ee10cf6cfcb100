//! The journey of «Мероприятия» through the real app: a seminar planned today, a business of the registry registered, a participant list read from a CSV file (its bad row named), the first business marked present, the attendance sheet saved as a PDF with both participants, and both businesses counted once each in KPI 1 on «Главная» with the event behind the figure.

use cpe_core::audit::Ctx;
use cpe_e2e::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_seminar_is_planned_attended_printed_and_counted_in_kpi_1() {
    let data = tempfile::tempdir().unwrap();
    {
        let mut conn = cpe_core::db::open_in(data.path()).expect("database");
        let ctx = Ctx::new("Петрова Анна Сергеевна", chrono::Local::now().naive_local());
        cpe_core::centre::set_field(&mut conn, &ctx, "short_name", "АНО «ЦПЭ Хабаровского края»").expect("settings");
        add_eligible_sme(&mut conn, &ctx, "ООО «Амурская рыба»", "7707329152");
        add_eligible_sme(&mut conn, &ctx, "ООО «Хабаровский лес»", "7707083893");
    }
    let (_driver, app) = launch_retrying(data.path()).await;

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
        "ИНН;ФИО участника\n7707083893;Сидорова Мария Петровна\n1234567890;Кто-то\n",
    )
    .unwrap();
    answer_dialog(data.path(), &[&list]);
    click(&app, "[data-testid='import-list']").await;
    wait_text(&app, "[data-testid='import-result']", "Строка 3: ИНН 1234567890").await;
    wait_count(&app, "[data-testid='participant-row']", 2).await;

    // Both came: the first mark makes the event «проведено».
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
    wait_text(&app, "[data-testid='toast']", "Сохранено").await;
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
    app.close().await.unwrap();
}
