//! Journey of the «Документы» section through the real app: an act made from a signed agreement waits for its signed paper among «неподписанные», staff mark it signed (the act's PDF is generated and archived on the way), the filter empties and the archive shows the signed version.

use std::str::FromStr;

use chrono::NaiveDate;
use cpe_core::agreement::{self, AgreementInput, AgreementItemInput, PlannedPayment};
use cpe_core::application::{self, ApplicationInput, ApplicationStatus, Channel, TransitionInput};
use cpe_core::audit::Ctx;
use cpe_core::{act, budget, centre};
use cpe_e2e::*;
use rust_decimal::Decimal;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn money(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// The centre's requisites, an eligible SME, a signed agreement on 4.2 and its unsigned act of 01.04.2025.
fn seed(dir: &std::path::Path) {
    let mut conn = cpe_core::db::open_in(dir).expect("database");
    let ctx = Ctx::new("Петрова Анна Сергеевна", chrono::Local::now().naive_local());
    for (k, v) in [
        ("full_name", "АНО «Центр поддержки экспорта Хабаровского края»"),
        ("short_name", "АНО «ЦПЭ Хабаровского края»"),
        ("city", "г. Хабаровск"),
        ("head_position", "директор"),
        ("head_name", "Сидорова Мария Ивановна"),
    ] {
        centre::set_field(&mut conn, &ctx, k, v).expect("settings");
    }
    let sme_id = add_eligible_sme(&mut conn, &ctx, "ООО «Амурская рыба»", "7707329152");
    budget::set_line(&mut conn, &ctx, 2025, "4.2", money("5000000")).expect("budget");
    let app = application::add(
        &mut conn,
        &ctx,
        &ApplicationInput {
            sme_id,
            service_code: "4.2".into(),
            item_codes: vec![],
            received_on: day("2025-03-03"),
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
            date: day("2025-03-06"),
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
            }],
            payment_schedule: vec![PlannedPayment {
                due_on: day("2025-03-20"),
                amount: money("100000"),
            }],
            stages: vec![],
        },
    )
    .expect("agreement");
    agreement::sign(&mut conn, &ctx, a.id, day("2025-03-07")).expect("agreement signed");
    act::add(
        &mut conn,
        &ctx,
        &act::ActInput {
            agreement_id: a.id,
            stage_id: None,
            number: String::new(),
            date: day("2025-04-01"),
            items: vec![act::ActItemInput {
                item_code: "4.2".into(),
                amount: money("500000"),
            }],
        },
    )
    .expect("act");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unsigned_act_is_marked_signed_and_archived() {
    let data = tempfile::tempdir().unwrap();
    seed(data.path());
    let (_driver, app) = launch_retrying(data.path()).await;
    click(&app, "[data-testid='nav-documents']").await;
    wait_text(&app, "[data-testid='act-row-1']", "не печатался").await;
    wait_text(&app, "[data-testid='act-row-1']", "Амурская рыба").await;
    screenshot(&app, "documents-acts").await;

    click(&app, "[data-testid='sign-act-1']").await;
    click(&app, "[data-testid='sign-save-act-1']").await;
    wait_text(&app, "[data-testid='toast']", "отмечен подписанным").await;
    wait_text(&app, "[data-testid='acts-empty']", "Все акты подписаны").await;

    click(&app, "[data-testid='tab-archive']").await;
    let row = wait_text(&app, "[data-testid='archive-table']", "подписан").await;
    assert!(row.contains("Акт") && row.contains("1/2025-С"), "{row}");
    screenshot(&app, "documents-archive").await;
    app.close().await.unwrap();

    let conn = rusqlite::Connection::open(data.path().join("cpe.sqlite3")).unwrap();
    let (version, signed, pdf): (i64, Option<String>, Vec<u8>) = conn
        .query_row(
            "SELECT version, signed_on, pdf FROM document WHERE kind = 'act'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(version, 1);
    assert!(signed.is_some());
    assert!(pdf.starts_with(b"%PDF-"));
}
