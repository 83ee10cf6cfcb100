//! Journeys of the cofinancing screens through the real app: the head sets the year's budget and sees it on the budget screen; the catalog shows every term with its paragraph; on the calculator a share one kopeck below the minimum names the minimum in roubles and blocks the action, and fixing it unblocks it.
use cpe_core::audit::Ctx;
use cpe_e2e::*;

/// An SME in the registry whose eligibility a staff member confirmed today.
fn seed_eligible_sme(dir: &std::path::Path) {
    let mut conn = cpe_core::db::open_in(dir).expect("database");
    let ctx = Ctx::new("Петрова Анна Сергеевна", chrono::Local::now().naive_local());
    add_eligible_sme(&mut conn, &ctx, "ООО «Амурская рыба»", "7707329152");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn budget_catalog_and_a_kopeck_below_the_minimum() {
    let data = tempfile::tempdir().unwrap();
    seed_eligible_sme(data.path());
    let (_driver, app) = launch_retrying(data.path()).await;

    // The budget screen: set this year's money for 4.2 and see it with its remainder.
    click(&app, "[data-testid='nav-budget']").await;
    // A typing mistake is explained next to the amount and nothing changes.
    click(&app, "[data-testid='edit-4.4']").await;
    fill(&app, "budget-4.4", "12,345").await;
    click(&app, "[data-testid='budget-save']").await;
    wait_plain(&app, "[data-testid='error-budget']", "до копейки").await;
    // Escape leaves the amount as it was.
    find(&app, "[name='budget-4.4']")
        .await
        .send_keys("\u{E00C}")
        .await
        .unwrap();
    wait_count(&app, "[name='budget-4.4']", 0).await;
    click(&app, "[data-testid='edit-4.2']").await;
    fill(&app, "budget-4.2", "5 000 000").await;
    click(&app, "[data-testid='budget-save']").await;
    wait_plain(&app, "[data-testid='budget-amount-4.2']", "5 000 000,00 ₽").await;
    wait_plain(&app, "[data-testid='budget-total']", "5 000 000,00 ₽").await;
    screenshot(&app, "budget").await;

    // The catalog: every term with its paragraph.
    click(&app, "[data-testid='nav-catalog']").await;
    wait_plain(&app, "[data-testid='source-4.2']", "§3, п. 4.2").await;
    wait_plain(&app, "[data-testid='catalog-item-4.3']", "пошлины — 100 % за счёт ЦПЭ").await;
    screenshot(&app, "catalog").await;

    // The calculator: one kopeck below the minimum is named in roubles and blocks the action.
    click(&app, "[data-testid='nav-cofinancing']").await;
    fill(&app, "sme_search", "Амурская").await;
    click(&app, "[data-testid='sme-match']").await;
    wait_plain(&app, "[data-testid='sme-chosen']", "7707329152").await;
    find(&app, "[name='service']")
        .await
        .select_by_value("4.2")
        .await
        .unwrap();
    click(&app, "[data-testid='declaration']").await;
    fill(&app, "cost-4.2", "1 000 000").await;
    fill(&app, "sme_share-4.2", "199 999,99").await;
    let message = wait_plain(&app, "[data-testid='violation-4.2']", "меньше минимальной").await;
    assert!(message.contains("200 000,00 ₽"), "the minimum in roubles: {message}");
    wait_enabled(&app, "[data-testid='calc-submit']", false).await;
    wait_plain(&app, "[data-testid='calc-block-reason']", "Подписывать нельзя").await;
    wait_plain(&app, "[data-testid='eligibility']", "Соответствует").await;
    screenshot(&app, "calculator-below-minimum").await;

    // Fixing the share unblocks it; the centre's share and the budget after it are shown.
    fill(&app, "sme_share-4.2", "200 000").await;
    wait_enabled(&app, "[data-testid='calc-submit']", true).await;
    wait_count(&app, "[data-testid='violation-4.2']", 0).await;
    wait_plain(&app, "[data-testid='total-centre-share']", "800 000,00 ₽").await;
    wait_plain(&app, "[data-testid='budget-remaining']", "4 200 000,00 ₽").await;
    screenshot(&app, "calculator-signable").await;

    // A complex service: its base item is always there, an additional item is chosen.
    find(&app, "[name='service']")
        .await
        .select_by_value("5.2")
        .await
        .unwrap();
    wait_plain(&app, "[data-testid='violations']", "дополнительной услуги").await;
    click(&app, "[name='include-5.2.a1']").await;
    fill(&app, "cost-5.2.b1", "300000").await;
    fill(&app, "cost-5.2.a1", "187500").await;
    fill(&app, "sme_share-5.2.a1", "37500").await;
    wait_plain(&app, "[data-testid='total-centre-share']", "450 000,00 ₽").await;
    screenshot(&app, "calculator-complex").await;

    // Разд. 3 in quantities: accommodation of foreign guests at most 5 000 ₽ per guest per day.
    find(&app, "[name='service']")
        .await
        .select_by_value("5.5")
        .await
        .unwrap();
    click(&app, "[name='include-5.5.a5']").await;
    fill(&app, "cost-5.5.a5", "30 000").await;
    fill(&app, "guests-5.5.a5", "2").await;
    fill(&app, "days-5.5.a5", "2").await;
    let message = wait_plain(&app, "[data-testid='violation-5.5.a5']", "2 чел. × 2 сут.").await;
    assert!(message.contains("больше 20 000,00 ₽"), "{message}");
    screenshot(&app, "calculator-quantities").await;
    fill(&app, "days-5.5.a5", "3").await;
    wait_count(&app, "[data-testid='violation-5.5.a5']", 0).await;

    // 5.7 names its format; an individual stand is given on a competitive basis (§5.5.4).
    find(&app, "[name='service']")
        .await
        .select_by_value("5.7")
        .await
        .unwrap();
    wait_plain(&app, "[data-testid='violations']", "выберите формат").await;
    find(&app, "[name='format']")
        .await
        .select_by_value("abroad_individual")
        .await
        .unwrap();
    wait_plain(&app, "[data-testid='violations']", "конкурсной основе").await;
    fill(&app, "selection", "Протокол № 3 от 25.02.2026").await;
    fill(&app, "area-5.7.b2", "9").await;
    screenshot(&app, "calculator-format").await;
    wait_count(&app, "[data-code='selection_missing']", 0).await;

    // The head opens an item's terms on the catalog screen.
    click(&app, "[data-testid='nav-catalog']").await;
    click(&app, "[data-testid='edit-item-4.3']").await;
    fill(&app, "rate_percent", "100").await;
    wait_plain(&app, "[data-testid='error-rate_percent']", "от 0 до 100").await;
    screenshot(&app, "catalog-edit").await;
    app.close().await.unwrap();
}
