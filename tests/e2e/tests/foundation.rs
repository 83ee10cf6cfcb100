//! Journeys of the foundation through the real app: centre settings and an SME survive a restart; a wrong INN is explained and nothing is saved; a database from a newer app is refused untouched.

use cpe_e2e::*;

/// Rows in the `sme` table, read straight from the file while the app runs (WAL allows a reader).
fn sme_count(dir: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(dir.join("cpe.sqlite3")).expect("database file");
    conn.query_row("SELECT count(*) FROM sme", [], |r| r.get(0))
        .expect("sme table")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn settings_and_an_sme_survive_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());

    let app = driver.launch().await;
    click(&app, "[data-testid='nav-settings']").await;
    fill(&app, "full_name", "АНО «Центр поддержки экспорта Хабаровского края»").await;
    fill(&app, "short_name", "ЦПЭ Хабаровского края").await;
    fill(&app, "inn", "2721999992").await;
    fill(&app, "region_code", "27").await;
    fill(&app, "head_name", "Иванов Иван Иванович").await;
    // A wrong KPP is explained next to its field as the user types, and blocks the save.
    fill(&app, "kpp", "2721").await;
    wait_text(&app, "[data-testid='error-kpp']", "9 знаков").await;
    fill(&app, "kpp", "272101001").await;
    click(&app, "[data-testid='save-centre']").await;
    wait_text(&app, "[data-testid='toast']", "сохранены").await;
    screenshot(&app, "settings").await;

    new_company(&app, "ООО «Амурская рыба»", "7707329153").await;
    wait_text(&app, "[data-testid='error-inn']", "контрольная сумма").await;
    click(&app, "[data-testid='save-sme']").await;
    wait_text(&app, "[data-testid='error-inn']", "контрольная сумма").await;
    assert_eq!(sme_count(data.path()), 0, "an SME with a wrong INN must not be saved");
    // What the user typed is still there after the failed save.
    let name = find(&app, "[name='full_name']").await.prop("value").await.unwrap();
    assert_eq!(name.as_deref(), Some("ООО «Амурская рыба»"));

    fill(&app, "inn", "7707329152").await;
    click(&app, "[data-testid='save-sme']").await;
    wait_text(&app, "[data-testid='toast']", "добавлен").await;
    wait_count(&app, "[data-testid='sme-row']", 1).await;
    assert_eq!(sme_count(data.path()), 1);
    screenshot(&app, "sme-list").await;
    app.close().await.unwrap();

    let app = driver.launch().await;
    click(&app, "[data-testid='nav-sme']").await;
    wait_text(&app, "[data-testid='sme-row']", "Амурская рыба").await;
    click(&app, "[data-testid='nav-settings']").await;
    let inn = find(&app, "[name='inn']").await;
    let started = std::time::Instant::now();
    while inn.prop("value").await.unwrap().as_deref() != Some("2721999992") {
        assert!(started.elapsed() < UI_TIMEOUT, "centre INN not loaded after restart");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let name = find(&app, "[name='full_name']").await.prop("value").await.unwrap();
    assert_eq!(
        name.as_deref(),
        Some("АНО «Центр поддержки экспорта Хабаровского края»")
    );
    app.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn a_database_from_a_newer_version_is_refused_and_left_unchanged() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("cpe.sqlite3");
    {
        let conn = rusqlite::Connection::open(&file).unwrap();
        conn.execute_batch(
            "CREATE TABLE from_the_future (x); INSERT INTO from_the_future VALUES (42); PRAGMA user_version = 9999;",
        )
        .unwrap();
    }
    let before = std::fs::read(&file).unwrap();
    let driver = Driver::start(data.path());
    let app = driver.launch().await;
    let text = wait_text(&app, "[data-testid='db-error']", "более новой версией").await;
    assert!(text.contains("Обновите программу"), "{text}");
    assert!(
        app.find(Locator::Css("[data-testid='nav-sme']")).await.is_err(),
        "no sections when the database is refused"
    );
    screenshot(&app, "db-too-new").await;
    app.close().await.unwrap();
    drop(driver);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the refused database must stay byte-for-byte the same"
    );
}

/// Issue 14: a copy made in Settings brings the data back — what was added after it is gone, and
/// the replaced database is kept as a copy «перед восстановлением».
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn a_backup_made_in_settings_restores_the_data() {
    let data = tempfile::tempdir().unwrap();
    {
        let mut db = cpe_core::db::open_in(data.path()).unwrap();
        let ctx = cpe_core::audit::Ctx::new("Тест", chrono::Local::now().naive_local());
        add_eligible_sme(&mut db, &ctx, "ООО «До копии»", "7707083893");
    }
    let (_driver, app) = launch_retrying(data.path()).await;
    click(&app, "[data-testid='nav-settings']").await;
    click(&app, "[data-testid='backup-create']").await;
    wait_text(&app, "[data-testid='toast']", "Копия создана").await;
    // The day's copy made at start and the one made now.
    wait_count(&app, "[data-testid='backup-row']", 2).await;

    new_company(&app, "ООО «После копии»", "7707329152").await;
    click(&app, "[data-testid='save-sme']").await;
    wait_text(&app, "[data-testid='toast']", "добавлен").await;
    assert_eq!(sme_count(data.path()), 2);

    click(&app, "[data-testid='nav-settings']").await;
    wait_count(&app, "[data-testid='backup-row']", 2).await;
    click(&app, "[data-testid='backup-restore']").await; // the newest: the copy made by hand
    wait_text(&app, "[data-testid='backup-confirm']", "Всё, что внесено после неё").await;
    screenshot(&app, "backup-restore-confirm").await;
    click(&app, "[data-testid='backup-restore-confirm']").await;
    // The program reloads on the restored data, with its own accounts: log in again.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    sign_in(&app).await;
    click(&app, "[data-testid='nav-sme']").await;
    wait_count(&app, "[data-testid='sme-row']", 1).await;
    wait_text(&app, "[data-testid='sme-row']", "До копии").await;
    assert_eq!(sme_count(data.path()), 1);
    click(&app, "[data-testid='nav-settings']").await;
    wait_text(&app, "[data-testid='backup-list']", "перед восстановлением").await;
    screenshot(&app, "backup-panel").await;
    app.close().await.unwrap();
}

/// Issue 15: the journal of changes — who changed which record, by name, field by field — filtered
/// by staff member, and exported to XLSX through the save dialog.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn the_journal_shows_who_changed_what_and_exports_it() {
    let data = tempfile::tempdir().unwrap();
    {
        let mut db = cpe_core::db::open_in(data.path()).unwrap();
        let now = chrono::Local::now().naive_local();
        let petrova = cpe_core::audit::Ctx::new("Петрова А. С.", now);
        let id = add_eligible_sme(&mut db, &petrova, "ООО «Ромашка»", "7707083893");
        let mut sme = cpe_core::sme::get(&db, id).unwrap();
        sme.input.full_name = "ООО «Ромашка-Экспорт»".into();
        let sidorov = cpe_core::audit::Ctx::new("Сидоров С. С.", now);
        cpe_core::sme::update(&mut db, &sidorov, id, &sme.input).unwrap();
    }
    let (_driver, app) = launch_retrying(data.path()).await;
    click(&app, "[data-testid='nav-journal']").await;
    find(&app, "[data-testid='journal-actor'] option[value='Сидоров С. С.']").await;
    find(&app, "[data-testid='journal-actor']")
        .await
        .select_by_value("Сидоров С. С.")
        .await
        .unwrap();
    wait_text(&app, "[data-testid='journal-total']", "Найдено: 1").await;
    wait_count(&app, "[data-testid='journal-row']", 1).await;
    wait_text(&app, "[data-testid='journal-row']", "ООО «Ромашка-Экспорт»").await;
    click(&app, "[data-testid='journal-row']").await;
    let details = wait_text(&app, "[data-testid='journal-details']", "Полное наименование").await;
    assert!(
        details.contains("ООО «Ромашка»") && details.contains("ООО «Ромашка-Экспорт»"),
        "{details}"
    );
    screenshot(&app, "journal").await;

    let file = data.path().join("журнал.xlsx");
    answer_dialog(data.path(), &[&file]);
    click(&app, "[data-testid='journal-export']").await;
    wait_text(&app, "[data-testid='toast']", "Выгружено записей журнала: 1").await;
    assert!(std::fs::metadata(&file).unwrap().len() > 1000);
    // The export itself is in the journal: what left the program, with its file.
    find(&app, "[data-testid='journal-actor']")
        .await
        .select_by_value("")
        .await
        .unwrap();
    find(&app, "[data-testid='journal-action']")
        .await
        .select_by_value("export")
        .await
        .unwrap();
    wait_count(&app, "[data-testid='journal-row']", 1).await;
    wait_text(&app, "[data-testid='journal-row']", "Журнал изменений").await;
    let row = find(&app, "[data-testid='journal-row']")
        .await
        .prop("textContent")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(row.contains("выгрузка в файл") && row.contains("журнал.xlsx"), "{row}");

    // The SME's card has its own history.
    click(&app, "[data-testid='nav-sme']").await;
    click(&app, "[data-testid='sme-row']").await;
    click(&app, "[data-testid='record-history'] summary").await;
    wait_count(&app, "[data-testid='history-entry']", 2).await;
    wait_text(&app, "[data-testid='record-history']", "Полное наименование").await;
    screenshot(&app, "sme-history").await;
    app.close().await.unwrap();
}
