//! The demo centre before its history starts: requisites and staff, a catalog version in force from the first day (the shipped one takes effect only in 2024), and contractors with a contract for every year.

use chrono::{Datelike, Days, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use super::{ctx, people, HEAD, SPECIALIST};
use crate::catalog;
use crate::centre::{self, CentreSettings};
use crate::staff::{self, StaffInput};

use super::{DEMO_ACCOUNTS, DEMO_PASSWORD};
use crate::contractor::{self, ContractInput, ContractorInput, ContractorKind};
use crate::db::Db;
use crate::error::Result;
use crate::ident;

/// Puts the control key (9th digit) into a 20-digit account so that `check` accepts it.
fn keyed(account: &str, check: impl Fn(&str) -> bool) -> String {
    (0..10)
        .map(|k| format!("{}{k}{}", &account[..8], &account[9..]))
        .find(|a| check(a))
        .expect("one of ten key digits fits")
}

/// Requisites of the demo centre (valid identifiers, obviously fictitious names) and its staff.
/// Returns the staff ids, the specialist first.
pub fn centre(conn: &mut Db, start: NaiveDate) -> Result<Vec<i64>> {
    let c = ctx(HEAD, start - Days::new(7));
    let inn = ident::complete_inn10("272199990");
    let bik = "040899990";
    let settings = CentreSettings {
        full_name: "Автономная некоммерческая организация «Демонстрационный центр поддержки экспорта»".into(),
        short_name: "АНО «Демо-ЦПЭ»".into(),
        kpp: format!("{}01001", &inn[..4]),
        ogrn: ident::complete_ogrn("112270000999"),
        inn,
        region_code: people::REGION.into(),
        city: "г. Демоград".into(),
        legal_address: "680000, г. Демоград, ул. Образцовая, д. 1".into(),
        postal_address: "680000, г. Демоград, ул. Образцовая, д. 1, оф. 10".into(),
        phone: "+7 (4212) 00-00-00".into(),
        email: "demo-cpe@example.ru".into(),
        bank_name: "АО «Демо-Банк»".into(),
        bik: bik.into(),
        settlement_account: keyed("40703810000000000990", |a| {
            ident::validate_settlement_account(a, bik).is_ok()
        }),
        correspondent_account: keyed("30101810000000000990", |a| {
            ident::validate_correspondent_account(a, bik).is_ok()
        }),
        head_position: "Директор".into(),
        head_name: HEAD.into(),
    };
    centre::save(conn, &c, &settings)?;
    let mut ids = Vec::new();
    for (name, position, login, role) in DEMO_ACCOUNTS {
        let s = staff::add(
            conn,
            &c,
            &StaffInput::new(name, position, login, role),
            Some(DEMO_PASSWORD),
        )?;
        ids.push(s.id);
    }
    Ok(ids)
}

/// The shipped catalog takes effect on its own date (2024); the history before it needs a
/// version in force from the first day. The head creates it the day before, as the app allows.
pub fn historic_catalog(conn: &mut Db, start: NaiveDate) -> Result<()> {
    let Some(newest) = catalog::list_versions(conn)?.into_iter().last() else {
        return Ok(());
    };
    let shipped = catalog::get_version(conn, newest.id)?;
    if shipped.effective_from <= start {
        return Ok(());
    }
    catalog::create_version(
        conn,
        &ctx(HEAD, start - Days::new(1)),
        shipped.id,
        start,
        &format!(
            "{} (редакция демонстрационных данных до {})",
            shipped.title,
            shipped.effective_from.format("%d.%m.%Y")
        ),
    )?;
    Ok(())
}

/// A contractor and its contract of one year.
pub struct Contractor {
    pub id: i64,
    /// Catalog services it works on.
    pub services: &'static [&'static str],
    /// (year, contract id).
    pub contracts: Vec<(i32, i64)>,
}

impl Contractor {
    pub fn contract(&self, year: i32) -> Option<i64> {
        self.contracts.iter().find(|(y, _)| *y == year).map(|(_, id)| *id)
    }
}

const WORK: &[&[&str]] = &[
    &["4.2"],
    &["4.3"],
    &["4.4", "5.2"],
    &["4.5", "5.1"],
    &["5.1", "5.3"],
    &["5.7", "5.4"],
    &["5.1", "5.2"],
    &["5.2", "5.8"],
];

/// Contractors (organisations and one individual specialist) with a contract for each year of the history.
pub fn contractors(conn: &mut Db, rng: &mut ChaCha8Rng, start: NaiveDate, today: NaiveDate) -> Result<Vec<Contractor>> {
    let c = ctx(SPECIALIST, start);
    let mut out = Vec::new();
    for (n, services) in WORK.iter().enumerate() {
        let individual = n == WORK.len() - 1;
        let input = ContractorInput {
            kind: if individual {
                ContractorKind::Individual
            } else {
                ContractorKind::Organisation
            },
            name: if individual {
                format!("{} (специалист)", people::person(rng).full())
            } else {
                people::contractor_name(n)
            },
            inn: if individual {
                ident::complete_inn12(&format!("2799{:06}", 900 + n))
            } else {
                ident::complete_inn10(&format!("279900{:03}", 100 + n))
            },
            accredited_rec: n % 2 == 0,
            contact_person: people::person(rng).full(),
            phone: format!("+7 (4212) 55-{:02}-{:02}", n, rng.random_range(10..99)),
            email: format!("contractor{n}@example.ru"),
            group_declaration_on: Some(start),
            notes: "Демонстрационные данные".into(),
        };
        let added = contractor::add(conn, &c, &input)?;
        let mut contracts = Vec::new();
        for year in start.year()..=today.year() {
            let on = NaiveDate::from_ymd_opt(year, 1, 9)
                .expect("9 January exists")
                .max(start);
            let contract = contractor::add_contract(
                conn,
                &ctx(SPECIALIST, on),
                &ContractInput {
                    contractor_id: added.id,
                    number: format!("Д-{}/{year}", n + 1),
                    date: on,
                    amount: Decimal::from(rng.random_range(20..60) * 1_000_000i64),
                },
            )?;
            contracts.push((year, contract.id));
        }
        out.push(Contractor {
            id: added.id,
            services,
            contracts,
        });
    }
    Ok(out)
}
