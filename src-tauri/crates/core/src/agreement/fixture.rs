//! Test fixture shared by the workflow modules' tests: a real SQLite file in a temp dir (or a database on the test PostgreSQL cluster) with an eligible SME, a budget and an approved application.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{AgreementInput, AgreementItemInput, PlannedPayment};
use crate::application::{self, ApplicationInput, ApplicationStatus, Channel, TransitionInput};
use crate::audit::Ctx;
use crate::budget;
use crate::db::{self, Db};
use crate::eligibility::{self, CheckInput, CheckSource, Criterion, CriterionResult, Outcome};
use crate::sme::{self, SmeInput, SmeKind};

pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Staff acting on a given day.
pub fn ctx(on: &str) -> Ctx {
    Ctx::new("Петрова А. С.", day(on).and_hms_opt(10, 0, 0).unwrap())
}

/// The database the workflow tests run against: a real SQLite file in a temp dir, or — with
/// `CPE_TEST_ENGINE=postgres` — a new database on the test cluster (`make test` runs these tests
/// both ways: the same rules on both engines).
pub fn open() -> (tempfile::TempDir, Db) {
    if std::env::var("CPE_TEST_ENGINE").as_deref() == Ok("postgres") {
        let db = crate::db::server::tests::fresh().expect("CPE_TEST_DATABASE_URL names the test cluster");
        return (tempfile::tempdir().unwrap(), db);
    }
    open_file()
}

/// A real SQLite file in a temp dir, whatever engine the tests run against (for what only the
/// file has: its backups, a second connection to it).
pub fn open_file() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let conn = db::open_in(dir.path()).unwrap();
    (dir, conn)
}

/// Another connection to the database of [`open`] or [`open_file`]: a colleague's program.
pub fn second_connection(dir: &tempfile::TempDir, conn: &Db) -> Db {
    match conn.pg_config() {
        Some(config) => Db::from_postgres(config.connect(postgres::NoTls).unwrap()),
        None => db::open(&dir.path().join(db::DB_FILE)).unwrap(),
    }
}

/// An act of 1 April 2025 for `amount` of row 4.2 of the agreement.
pub fn act_of(agreement_id: i64, amount: &str) -> crate::act::ActInput {
    crate::act::ActInput {
        agreement_id,
        stage_id: None,
        number: String::new(),
        date: day("2025-04-01"),
        items: vec![crate::act::ActItemInput {
            item_code: "4.2".into(),
            amount: d(amount),
        }],
    }
}

/// An SME with a passed §4 check.
pub fn eligible_sme(conn: &mut Db, inn: &str) -> i64 {
    eligible_sme_on(conn, inn, "2025-03-03")
}

/// An SME with a passed §4 check made on `on`.
pub fn eligible_sme_on(conn: &mut Db, inn: &str, on: &str) -> i64 {
    let c = ctx(on);
    let sme = sme::add(conn, &c, &SmeInput::new(SmeKind::LegalEntity, "ООО «Ромашка»", inn)).unwrap();
    let criteria = Criterion::required_for(SmeKind::LegalEntity)
        .into_iter()
        .map(|k| CriterionResult::new(k, Outcome::Pass, "проверено"))
        .collect();
    eligibility::record(
        conn,
        &c,
        &CheckInput {
            sme_id: sme.id,
            source: CheckSource::Manual {
                comment: "сайт ФНС".into(),
            },
            criteria,
        },
    )
    .unwrap();
    sme.id
}

pub fn budget(conn: &mut Db, service: &str, amount: &str) {
    budget::set_line(conn, &ctx("2025-01-10"), 2025, service, d(amount)).unwrap();
}

pub fn move_to(conn: &mut Db, on: &str, app: i64, to: ApplicationStatus) {
    let input = TransitionInput {
        to,
        comment: String::new(),
        refusal: None,
    };
    application::transition(conn, &ctx(on), app, &input).unwrap();
}

/// An application for `service` moved to «Одобрена».
pub fn approved_application(conn: &mut Db, sme_id: i64, service: &str, items: &[&str]) -> i64 {
    let app = application::add(
        conn,
        &ctx("2025-03-03"),
        &ApplicationInput {
            sme_id,
            service_code: service.into(),
            item_codes: items.iter().map(|s| s.to_string()).collect(),
            received_on: day("2025-03-03"),
            channel: Channel::Email,
            responsible_staff_id: None,
            comment: String::new(),
        },
    )
    .unwrap();
    move_to(conn, "2025-03-04", app.id, ApplicationStatus::UnderReview);
    move_to(conn, "2025-03-05", app.id, ApplicationStatus::Approved);
    app.id
}

pub fn item(code: &str, cost: &str, share: &str) -> AgreementItemInput {
    AgreementItemInput {
        item_code: code.into(),
        cost: d(cost),
        sme_share: d(share),
        state_fees: Decimal::ZERO,
        contractor_id: None,
        contract_id: None,
        quantity: Default::default(),
    }
}

/// Service 4.2 for 500 000 ₽ with the SME paying 100 000 ₽ by 2025-03-20.
pub fn standalone(sme_id: i64, application_id: Option<i64>) -> AgreementInput {
    AgreementInput {
        sme_id,
        application_id,
        date: day("2025-03-06"),
        service_code: "4.2".into(),
        participants: None,
        declaration_signed: true,
        items: vec![item("4.2", "500000", "100000")],
        payment_schedule: vec![PlannedPayment {
            due_on: day("2025-03-20"),
            amount: d("100000"),
            contract_id: None,
        }],
        stages: vec![],
        format: None,
        selection: None,
        event_id: None,
    }
}
