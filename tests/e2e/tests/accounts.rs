//! Issue 15, accounts: the first start's setup, the head adding a specialist with a first password, the specialist's login (a wrong password explained, the first password replaced), what the role may not do greyed out with the reason, the lock (by hand and after the idle minutes) that keeps a typed form, and the head reading the specialist's change and failed login in the journal.

use cpe_e2e::*;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn a_new_centre_sets_up_its_head_who_adds_a_specialist_with_fewer_rights() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.launch_unsigned().await;

    // The first start: the setup refuses a password typed differently twice, then makes the head.
    find(&app, "[data-testid='setup-form']").await;
    fill(&app, "password", HEAD_PASSWORD).await;
    fill(&app, "repeat", "другой").await;
    click(&app, "[data-testid='setup-submit']").await;
    wait_text(&app, "[data-testid='error-repeat']", "не совпадает").await;
    screenshot(&app, "setup").await;
    sign_in(&app).await;
    wait_text(&app, "[data-testid='user-name']", HEAD_NAME).await;
    wait_text(&app, "[data-testid='user-role']", "Руководитель").await;

    // The head adds a specialist with a first password.
    add_colleague(
        &app,
        "Петрова Анна Сергеевна",
        "Ведущий специалист",
        "petrova",
        "Первый-2026",
    )
    .await;
    wait_text(
        &app,
        "[data-testid='rights-table']",
        "Подписывать соглашения от имени центра",
    )
    .await;
    screenshot(&app, "settings-staff").await;
    // The shortest idle lock, to see it happen below.
    fill(&app, "idle_lock_minutes", "1").await;
    find(&app, "[data-testid='idle-minutes']").await;
    click(&app, "[data-testid='idle-save']").await;
    wait_text(&app, "[data-testid='toast']", "после 1 мин").await;

    // The specialist logs in: a wrong password is explained, the first one must be replaced.
    click(&app, "[data-testid='user-logout']").await;
    find(&app, "[data-testid='login-who']")
        .await
        .select_by_value("petrova")
        .await
        .unwrap();
    fill(&app, "password", "не тот пароль").await;
    click(&app, "[data-testid='login-submit']").await;
    wait_text(&app, "[data-testid='login-error']", "Осталось попыток без ожидания: 4").await;
    screenshot(&app, "login-error").await;
    fill(&app, "password", "Первый-2026").await;
    click(&app, "[data-testid='login-submit']").await;
    find(&app, "[data-testid='change-password']").await;
    fill(&app, "current", "Первый-2026").await;
    fill(&app, "new_password", "Свой-пароль-7").await;
    fill(&app, "repeat", "Свой-пароль-7").await;
    click(&app, "[data-testid='change-password-save']").await;
    wait_text(&app, "[data-testid='toast']", "Пароль изменён").await;
    wait_text(&app, "[data-testid='user-role']", "Специалист").await;

    // What a specialist may not do is greyed out, saying who may: the catalog is read-only.
    click(&app, "[data-testid='nav-catalog']").await;
    wait_enabled(&app, "[data-testid='catalog-new-version']", false).await;
    let why = find(&app, "[data-testid='catalog-new-version']")
        .await
        .attr("title")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        why.contains("это делает руководитель (ваша роль — специалист)"),
        "{why}"
    );
    screenshot(&app, "catalog-read-only").await;
    // What a specialist does is theirs: an SME added under their name.
    new_company(&app, "ООО «Амурская рыба»", "7707329152").await;
    click(&app, "[data-testid='save-sme']").await;
    wait_text(&app, "[data-testid='toast']", "добавлен").await;
    click(&app, "[data-testid='nav-settings']").await;
    wait_enabled(&app, "[data-testid='save-centre']", false).await;
    let why = find(&app, "[data-testid='save-centre']")
        .await
        .attr("title")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        why.contains("это делает руководитель") && why.contains("специалист"),
        "{why}"
    );
    wait_text(&app, "[data-testid='staff-readonly']", "руководитель").await;

    // The lock keeps what was typed: type a city, lock, unlock, the city is still there.
    fill(&app, "city", "г. Комсомольск-на-Амуре").await;
    click(&app, "[data-testid='user-lock']").await;
    wait_text(&app, "[data-testid='lock-screen']", "Петрова Анна Сергеевна").await;
    screenshot(&app, "lock").await;
    fill(&app, "password", "Свой-пароль-7").await;
    click(&app, "[data-testid='login-submit']").await;
    wait_count(&app, "[data-testid='lock-screen']", 0).await;
    assert_eq!(value(&app, "[name='city']").await, "г. Комсомольск-на-Амуре");

    // Nobody touches the PC for a minute: the program locks by itself, the form still there.
    let lock = wait_text_for(
        &app,
        "[data-testid='lock-screen']",
        "Петрова Анна Сергеевна",
        std::time::Duration::from_secs(90),
    )
    .await;
    assert!(lock.contains("Программа заблокирована"), "{lock}");
    fill(&app, "password", "Свой-пароль-7").await;
    click(&app, "[data-testid='login-submit']").await;
    wait_count(&app, "[data-testid='lock-screen']", 0).await;
    assert_eq!(value(&app, "[name='city']").await, "г. Комсомольск-на-Амуре");

    // The head logs in again and reads the specialist's change and failed login in the journal.
    click(&app, "[data-testid='user-logout']").await;
    sign_in(&app).await;
    click(&app, "[data-testid='nav-journal']").await;
    find(
        &app,
        "[data-testid='journal-actor'] option[value='Петрова Анна Сергеевна']",
    )
    .await;
    find(&app, "[data-testid='journal-actor']")
        .await
        .select_by_value("Петрова Анна Сергеевна")
        .await
        .unwrap();
    find(&app, "[data-testid='journal-kind']")
        .await
        .select_by_value("sme")
        .await
        .unwrap();
    wait_text(&app, "[data-testid='journal-total']", "Найдено: 1").await;
    click(&app, "[data-testid='journal-row']").await;
    let details = wait_text(&app, "[data-testid='journal-details']", "Полное наименование").await;
    assert!(details.contains("ООО «Амурская рыба»"), "{details}");
    screenshot(&app, "journal-specialist").await;
    find(&app, "[data-testid='journal-actor']")
        .await
        .select_by_value("")
        .await
        .unwrap();
    find(&app, "[data-testid='journal-kind']")
        .await
        .select_by_value("")
        .await
        .unwrap();
    find(&app, "[data-testid='journal-action']")
        .await
        .select_by_value("login_failed")
        .await
        .unwrap();
    wait_text(&app, "[data-testid='journal-total']", "Найдено: 1").await;
    wait_plain(&app, "[data-testid='journal-row']", "неудачный вход").await;
    let row = wait_plain(&app, "[data-testid='journal-row']", "Петрова Анна Сергеевна").await;
    assert!(row.contains("неверный пароль"), "{row}");
    app.close().await.unwrap();

    // And the core agrees: the file has the accounts, their logins and no password in clear.
    let db = cpe_core::db::open_in(data.path()).unwrap();
    let logins: Vec<String> = cpe_core::staff::logins(&db)
        .unwrap()
        .into_iter()
        .map(|l| l.login)
        .collect();
    assert_eq!(logins, ["ivanov", "petrova"]);
    let bytes = std::fs::read(data.path().join("cpe.sqlite3")).unwrap();
    assert!(!String::from_utf8_lossy(&bytes).contains("Свой-пароль-7"));
}
