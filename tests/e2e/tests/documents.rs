//! Journeys of documents through the real app: an act made from a signed agreement waits for its signed paper among «неподписанные», staff mark it signed (the act's PDF is generated and archived on the way), the filter empties and the archive shows the signed version and the archived acts of a period; the agreement card prints its PDF in two copies on a printer of the system (stand-ins for CUPS' lp/lpstat on the app's PATH).

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
                quantity: Default::default(),
            }],
            payment_schedule: vec![PlannedPayment {
                due_on: day("2025-03-20"),
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
    // The acts of April printed into one PDF, as «Сохранить акты в один PDF…» does: archived.
    cpe_core::document::archive::acts_batch(&mut conn, &ctx, day("2025-04-01"), day("2025-04-30")).expect("batch");
}

/// Stand-ins for CUPS' `lpstat` (two printers, the default «Office_Laser») and `lp` (keeps its
/// arguments and the file it was given) in `bin`; what `lp` got goes to `spool`.
fn fake_cups(bin: &std::path::Path, spool: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let lpstat = r#"#!/bin/sh
[ -f "$CPE_FAKE_SPOOL/no-printers" ] && { echo 'lpstat: No destinations added.' >&2; exit 1; }
case "$1" in
  -a) echo 'Office_Laser accepting requests since Mon 23 Nov 2026'
      echo 'Kyocera_2F accepting requests since Mon 23 Nov 2026';;
  -d) echo 'system default destination: Office_Laser';;
esac
"#;
    let lp = r#"#!/bin/sh
echo "$@" >> "$CPE_FAKE_SPOOL/lp-args.txt"
for last; do :; done
cp "$last" "$CPE_FAKE_SPOOL/printed.pdf"
echo 'request id is Office_Laser-1 (1 file(s))'
"#;
    let scripts = [("lpstat", lpstat), ("lp", lp)];
    for (name, body) in scripts {
        let path = bin.join(name);
        std::fs::write(&path, body).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::create_dir_all(spool).unwrap();
}

/// «Печать…» on the agreement card: the printers of the system with the default first, two
/// copies offered for an agreement, and `lp` gets the archived PDF with `-n 2`; with no printer
/// set up the dialog says so and offers to open the PDF instead.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn an_agreement_is_printed_in_two_copies() {
    let data = tempfile::tempdir().unwrap();
    seed(data.path());
    let (bin, spool) = (data.path().join("bin"), data.path().join("spool"));
    std::fs::create_dir_all(&bin).unwrap();
    fake_cups(&bin, &spool);
    let mut path = std::ffi::OsString::from(&bin);
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    let env = [("PATH", path), ("CPE_FAKE_SPOOL", spool.clone().into_os_string())];
    let (_driver, app) = launch_retrying_with_env(data.path(), &env).await;

    click(&app, "[data-testid='nav-agreements']").await;
    click(&app, "[data-testid='agr-row'] button").await;
    wait_text(&app, "[data-testid='record-document-agreement']", "Печать").await;
    click(&app, "[data-testid='print-agreement-1']").await;
    let dialog = wait_text(&app, "[data-testid='print-dialog']", "Office_Laser (по умолчанию)").await;
    assert!(
        dialog.contains("Kyocera_2F") && dialog.contains("двух экземплярах"),
        "{dialog}"
    );
    let copies = find(&app, "[data-testid='print-copies']")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(copies.as_deref(), Some("2"));
    screenshot(&app, "documents-print-dialog").await;
    click(&app, "[data-testid='print-submit']").await;
    wait_text(&app, "[data-testid='toast']", "отправлен на печать").await;

    let args = std::fs::read_to_string(spool.join("lp-args.txt")).unwrap();
    assert!(args.starts_with("-d Office_Laser -n 2 -t Соглашение"), "{args}");
    let printed = std::fs::read(spool.join("printed.pdf")).unwrap();
    {
        let conn = rusqlite::Connection::open(data.path().join("cpe.sqlite3")).unwrap();
        let archived: Vec<u8> = conn
            .query_row("SELECT pdf FROM document WHERE kind = 'agreement'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(printed, archived, "the archived version is what was printed");
    }

    // No printer set up: said in words, with the PDF offered instead.
    std::fs::write(spool.join("no-printers"), "").unwrap();
    click(&app, "[data-testid='print-agreement-1']").await;
    wait_text(&app, "[data-testid='no-printers']", "не настроен ни один принтер").await;
    screenshot(&app, "documents-no-printers").await;
    find(&app, "[data-testid='print-open-instead']").await;
    app.close().await.unwrap();
    assert_eq!(
        std::fs::read_to_string(spool.join("lp-args.txt"))
            .unwrap()
            .lines()
            .count(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
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
    assert!(
        row.contains("Акты за период") && row.contains("01.04.2025–30.04.2025"),
        "{row}"
    );
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
