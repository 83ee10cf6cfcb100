//! Journeys of the SME registry with eligibility (issue 3) through the real app: a wrong OGRN is explained and nothing saved; the tax service's registry archive is imported with visible progress and listed; a business found in it is added to the centre's registry; its eligibility check has criteria 1–2 filled from the import; the list finds it by a fragment of its INN.

use std::path::{Path, PathBuf};

use cpe_e2e::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/fns-sme-registry")
        .join(name)
}

fn db(dir: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.join("cpe.sqlite3")).expect("database file")
}

fn count(dir: &Path, table: &str) -> i64 {
    db(dir)
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .expect("table")
}

async fn select(c: &Client, css: &str, value: &str) {
    find(c, css)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn registry_import_eligibility_check_and_search() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, app) = launch_retrying(data.path()).await;

    // The centre works in region 59 (the 2019 sample holds businesses of Perm Krai).
    click(&app, "[data-testid='nav-settings']").await;
    fill(&app, "full_name", "АНО «Центр поддержки экспорта Пермского края»").await;
    fill(&app, "short_name", "ЦПЭ Пермского края").await;
    fill(&app, "inn", "2721999992").await;
    fill(&app, "kpp", "272101001").await;
    fill(&app, "region_code", "59").await;
    fill(&app, "head_name", "Иванов Иван Иванович").await;
    click(&app, "[data-testid='save-centre']").await;
    wait_text(&app, "[data-testid='toast']", "сохранены").await;

    // An SME with a wrong OGRN: the message names the field, nothing is saved.
    new_company(&app, "ПАО «Сбербанк России»", "7707083893").await;
    fill(&app, "ogrn", "1027700132196").await;
    wait_text(&app, "[data-testid='error-ogrn']", "контрольная цифра").await;
    click(&app, "[data-testid='save-sme']").await;
    wait_text(&app, "[data-testid='error-ogrn']", "ОГРН 1027700132196").await;
    screenshot(&app, "registry-wrong-ogrn").await;
    assert_eq!(
        count(data.path(), "sme"),
        0,
        "an SME with a wrong OGRN must not be saved"
    );
    click(&app, ".drawer-head .icon-button").await;
    click(&app, "[data-testid='discard']").await;

    // Import the 2019 archive; the region filter starts as the centre's region.
    click(&app, "[data-testid='nav-fns']").await;
    wait_value(&app, "[data-testid='fns-regions']", "59").await;
    let archive = fixture("rsmp-sample-2019-02-10-v4.01.zip");
    answer_dialog(data.path(), &[&archive]);
    click(&app, "[data-testid='fns-pick']").await;
    wait_value(&app, "[data-testid='fns-paths']", archive.to_str().unwrap()).await;
    click(&app, "[data-testid='fns-import']").await;
    find(&app, "[data-testid='fns-progress']").await;
    screenshot(&app, "registry-import-progress").await;
    let summary = wait_text(&app, "[data-testid='fns-summary']", "10.02.2019").await;
    assert!(summary.contains("59"), "{summary}");
    wait_count(&app, "[data-testid='fns-snapshot']", 1).await;
    wait_text(
        &app,
        "[data-testid='fns-snapshots']",
        "rsmp-sample-2019-02-10-v4.01.zip",
    )
    .await;
    let inn: String = db(data.path())
        .query_row(
            "SELECT inn FROM fns_record WHERE kind = 'legal_entity' AND region_code = '59' ORDER BY inn LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("a legal entity of region 59 in the snapshot");
    screenshot(&app, "registry-snapshots").await;

    // Find it in the snapshot and add it to the centre's registry with its fields filled in.
    fill(&app, "lookup_inn", &inn).await;
    click(&app, "[data-testid='fns-lookup']").await;
    wait_text(&app, "[data-testid='fns-lookup-result']", &inn).await;
    click(&app, "[data-testid='fns-add-to-registry']").await;
    wait_value(&app, ".sme-form [name='inn']", &inn).await;
    wait_value(&app, ".sme-form [name='region_code']", "59").await;
    screenshot(&app, "registry-add-from-fns").await;
    click(&app, "[data-testid='save-sme']").await;
    wait_text(&app, "[data-testid='toast']", "добавлен").await;
    assert_eq!(count(data.path(), "sme"), 1);

    // The list finds it by a fragment of its INN.
    click(&app, "[data-testid='nav-sme']").await;
    let search = find(&app, "[data-testid='sme-search']").await;
    search.send_keys(&inn[2..8]).await.unwrap();
    wait_count(&app, "[data-testid='sme-row']", 1).await;
    wait_text(&app, "[data-testid='sme-row']", &inn).await;
    screenshot(&app, "registry-search-inn").await;

    // Its card: no check yet; the check form has criteria 1–2 filled from the import.
    click(&app, "[data-testid='sme-row']").await;
    wait_text(&app, "[data-testid='eligibility-verdict']", "Нужна проверка").await;
    click(&app, "[data-testid='eligibility-check']").await;
    wait_value(&app, "[data-testid='reason-in_sme_registry']", "10.02.2019").await;
    let registry = find(&app, "[data-testid='outcome-in_sme_registry']")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(registry.as_deref(), Some("pass"));
    let region = find(&app, "[data-testid='outcome-in_centre_region']")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(region.as_deref(), Some("pass"));
    wait_value(&app, "[data-testid='reason-in_centre_region']", "59").await;
    screenshot(&app, "registry-check-form").await;
    for c in [
        "not_in_liquidation",
        "not_same_group",
        "not_financial_organisation",
        "not_production_sharing",
        "not_currency_non_resident",
        "not_excise_or_minerals",
    ] {
        select(&app, &format!("[data-testid='outcome-{c}']"), "pass").await;
    }
    // A failed criterion needs its reason.
    select(&app, "[data-testid='outcome-not_gambling']", "fail").await;
    // Emptied as a person would (clear() alone fires no input event): type over it, then erase.
    fill(&app, "reason-not_gambling", "x").await;
    find(&app, "[name='reason-not_gambling']")
        .await
        .send_keys("\u{E003}")
        .await
        .unwrap();
    click(&app, "[data-testid='check-save']").await;
    wait_text(&app, "[data-testid='error-reason-not_gambling']", "укажите причину").await;
    select(&app, "[data-testid='outcome-not_gambling']", "pass").await;
    click(&app, "[data-testid='check-save']").await;
    wait_text(&app, "[data-testid='eligibility-verdict']", "Соответствует требованиям").await;
    wait_count(&app, "[data-testid='eligibility-history-item']", 1).await;
    assert_eq!(count(data.path(), "eligibility_check"), 1);
    let (source, outcome): (String, String) = db(data.path())
        .query_row("SELECT source_kind, outcome FROM eligibility_check", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((source.as_str(), outcome.as_str()), ("snapshot", "eligible"));
    screenshot(&app, "registry-card-verdict").await;
    app.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn a_cancelled_import_keeps_the_snapshots_and_a_table_is_imported_and_the_list_exported() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, app) = launch_retrying(data.path()).await;

    // One snapshot of the 2023 archive; then an import of a generated 40 MB registry file (seconds
    // of work, so the cancel lands while it runs on any machine), cancelled. No centre region is
    // set, so both read every region.
    click(&app, "[data-testid='nav-fns']").await;
    let y2023 = fixture("rsmp-sample-2023-05-10-v4.04.zip");
    let big = data.path().join("большой-реестр.xml");
    cpe_core::fns_registry::write_synthetic(&big, 40 << 20).unwrap();
    answer_dialog(data.path(), &[&y2023]);
    click(&app, "[data-testid='fns-pick']").await;
    wait_value(&app, "[data-testid='fns-paths']", y2023.to_str().unwrap()).await;
    click(&app, "[data-testid='fns-import']").await;
    wait_text(&app, "[data-testid='fns-summary']", "10.05.2023").await;
    wait_count(&app, "[data-testid='fns-snapshot']", 1).await;
    let before = count(data.path(), "fns_record");
    answer_dialog(data.path(), &[&big]);
    click(&app, "[data-testid='fns-pick']").await;
    wait_value(&app, "[data-testid='fns-paths']", big.to_str().unwrap()).await;
    click(&app, "[data-testid='fns-import']").await;
    click(&app, "[data-testid='fns-cancel']").await;
    wait_text(&app, "[data-testid='fns-import-error']", "отменена").await;
    screenshot(&app, "registry-import-cancelled").await;
    wait_count(&app, "[data-testid='fns-snapshot']", 1).await;
    assert_eq!(count(data.path(), "fns_snapshot"), 1);
    assert_eq!(count(data.path(), "fns_record"), before);

    // The centre's own list from a CSV: a bad row is listed before saving, the good one saved.
    let csv = data.path().join("список.csv");
    std::fs::write(
        &csv,
        "Наименование;ИНН;Регион\nООО «Амурская рыба»;7707329152;27\nООО «Ошибка»;123;27\n",
    )
    .unwrap();
    click(&app, "[data-testid='nav-sme']").await;
    click(&app, "[data-testid='sme-import-table']").await;
    answer_dialog(data.path(), &[&csv]);
    click(&app, "[data-testid='table-pick']").await;
    wait_value(&app, "[data-testid='table-path']", csv.to_str().unwrap()).await;
    click(&app, "[data-testid='table-read']").await;
    click(&app, "[data-testid='table-check']").await;
    wait_text(&app, "[data-testid='table-errors']", "123").await;
    wait_text(&app, "[data-testid='table-report']", "Пока ничего не сохранено").await;
    assert_eq!(count(data.path(), "sme"), 0);
    screenshot(&app, "registry-table-check").await;
    click(&app, "[data-testid='table-save']").await;
    wait_text(&app, "[data-testid='table-report']", "Сохранено записей: 1").await;
    assert_eq!(count(data.path(), "sme"), 1);
    let errors = data.path().join("список-ошибки.csv");
    answer_dialog(data.path(), &[&errors]);
    click(&app, "[data-testid='errors-pick']").await;
    wait_value(&app, "[data-testid='errors-path']", errors.to_str().unwrap()).await;
    click(&app, "[data-testid='errors-save']").await;
    let started = std::time::Instant::now();
    while !errors.exists() {
        assert!(started.elapsed() < UI_TIMEOUT, "the error list was not saved");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(std::fs::read_to_string(&errors).unwrap().contains("123"));
    click(&app, ".modal-head .icon-button").await;
    wait_count(&app, "[data-testid='sme-row']", 1).await;

    // Export of the list as filtered.
    click(&app, "[data-testid='sme-export']").await;
    let out = data.path().join("реестр.csv");
    answer_dialog(data.path(), &[&out]);
    click(&app, "[data-testid='export-pick']").await;
    wait_value(&app, "[data-testid='export-path']", out.to_str().unwrap()).await;
    click(&app, "[data-testid='export-run']").await;
    wait_text(&app, "[data-testid='toast']", "Выгружено записей: 1").await;
    assert!(std::fs::read_to_string(&out).unwrap().contains("7707329152"));
    app.close().await.unwrap();
}

/// Issue 15, 152-ФЗ: a person's card says there is no consent; the person's request to stop
/// processing is recorded; with no service in three years the data is erased from the card.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn a_persons_request_to_stop_processing_ends_with_the_data_erased() {
    let data = tempfile::tempdir().unwrap();
    {
        let mut db = cpe_core::db::open_in(data.path()).unwrap();
        let ctx = cpe_core::audit::Ctx::new("Тест", chrono::Local::now().naive_local());
        let inn = cpe_core::ident::complete_inn12("5001007322");
        let mut s =
            cpe_core::sme::SmeInput::new(cpe_core::sme::SmeKind::SoleProprietor, "ИП Петров Пётр Петрович", &inn);
        s.last_name = "Петров".into();
        s.first_name = "Пётр".into();
        s.patronymic = "Петрович".into();
        s.phone = "+7 914 000-00-00".into();
        cpe_core::sme::add(&mut db, &ctx, &s).unwrap();
    }
    let (_driver, app) = launch_retrying(data.path()).await;
    click(&app, "[data-testid='nav-sme']").await;
    click(&app, "[data-testid='sme-row']").await;
    wait_text(
        &app,
        "[data-testid='pd-explanation']",
        "Согласия на обработку персональных данных нет",
    )
    .await;
    click(&app, "[data-testid='pd-withdraw']").await;
    click(&app, "[data-testid='pd-withdraw-save']").await;
    wait_text(
        &app,
        "[data-testid='pd-explanation']",
        "срок хранения по п. 7.3 Регламента истёк",
    )
    .await;
    click(&app, "[data-testid='pd-erase']").await;
    screenshot(&app, "pd-erase-confirm").await;
    click(&app, "[data-testid='pd-erase-confirm']").await;
    wait_text(&app, "[data-testid='pd-explanation']", "Персональные данные удалены").await;
    let name = wait_value(&app, "[name='full_name']", "Субъект персональных данных").await;
    assert!(!name.contains("Петров"), "{name}");
    assert_eq!(value(&app, "[name='phone']").await, "");
    // The list behind the card shows the record as it is now.
    wait_text(&app, "[data-testid='sme-row']", "Субъект персональных данных").await;
    screenshot(&app, "pd-erased").await;
}
