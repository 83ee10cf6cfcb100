//! Demo data: a believable centre with years of work, generated deterministically from a seed and written through the core's own write paths (so every rule of the app holds), for a first look at the app and for benchmarks at scale.
//!
//! Everything goes through the public write functions of the domain modules with a [`Ctx`] dated
//! on the day the step happens: the history is replayed in date order from an event queue, so the
//! cofinancing engine judges each agreement against the budget, caps and history as they stood
//! that day. Nothing is inserted by raw SQL. The generator never reads the clock: `today` is an
//! argument and the history ends on it.

mod events;
mod export;
mod history;
mod missions;
mod people;
mod setup;
mod terms;
pub mod verify;

use chrono::{Datelike, NaiveDate};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::audit::Ctx;
use crate::db::{Db, Engine};
use crate::error::{CoreError, ErrorCode, Result};
use crate::sme;

pub use people::REGION;

/// How much data to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// ~300 businesses, ~1 000 applications over 3 years: the app's `--demo` start.
    Small,
    /// A busy centre's year at the size the yearly report's target names (about 2 000 businesses
    /// served and 5 000 services a year; 2 300 in the registry, 2 years): benchmarks.
    Medium,
    /// 100 000 businesses, ~50 000 agreements and ~20 000 export contracts over 10 years: benchmarks.
    Large,
}

impl Scale {
    pub fn parse(s: &str) -> Option<Scale> {
        match s {
            "small" => Some(Scale::Small),
            "medium" => Some(Scale::Medium),
            "large" => Some(Scale::Large),
            _ => None,
        }
    }

    pub(crate) fn smes(self) -> u32 {
        match self {
            Scale::Small => 300,
            Scale::Medium => 2_300,
            Scale::Large => 100_000,
        }
    }

    pub(crate) fn years(self) -> i32 {
        match self {
            Scale::Small => 3,
            Scale::Medium => 2,
            Scale::Large => 10,
        }
    }

    /// Applications received per year; about nine in ten end in an agreement.
    pub(crate) fn applications_per_year(self) -> u32 {
        match self {
            Scale::Small => 340,
            Scale::Medium => 4_300,
            Scale::Large => 5_600,
        }
    }
}

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub scale: Scale,
    pub seed: u64,
    /// The last day of the history (the app's "today" when it starts on the demo data).
    pub today: NaiveDate,
}

/// What was made, for the CLI to print and tests to check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    pub smes: u32,
    pub eligibility_checks: u32,
    pub contractors: u32,
    pub applications: u32,
    pub refused: u32,
    pub agreements: u32,
    pub terminated: u32,
    pub acts: u32,
    pub payments: u32,
    pub overdue_payments: u32,
    pub export_contracts: u32,
    pub consultations: u32,
    pub events: u32,
    /// Businesses marked present at the events.
    pub attendances: u32,
    /// Competitive selections decided (§5.5.4).
    pub selections: u32,
}

/// The staff member who does the daily work in the demo, and the head (who edits the catalog).
pub const SPECIALIST: &str = "Образцова Анна Сергеевна";
pub const HEAD: &str = "Примеров Иван Петрович";

/// The demo centre's staff: name, position, login, role. All log in with [`DEMO_PASSWORD`]
/// (shown on the demo's login screen; the data is made up and thrown away at exit).
pub const DEMO_ACCOUNTS: [(&str, &str, &str, crate::staff::Role); 4] = [
    (
        SPECIALIST,
        "Ведущий специалист",
        "obraztsova",
        crate::staff::Role::Specialist,
    ),
    (HEAD, "Директор", "primerov", crate::staff::Role::Head),
    (
        "Макетов Сергей Олегович",
        "Специалист",
        "maketov",
        crate::staff::Role::Specialist,
    ),
    (
        "Шаблонова Ирина Викторовна",
        "Главный бухгалтер",
        "shablonova",
        crate::staff::Role::Accountant,
    ),
];
pub const DEMO_PASSWORD: &str = "demo-2026";

pub(crate) fn ctx(actor: &str, on: NaiveDate) -> Ctx {
    Ctx::new(actor, on.and_hms_opt(10, 0, 0).expect("10:00 exists"))
}

/// The first day of the history: 9 January of the first year (after the New Year holidays).
pub fn start_of(opts: &DemoOptions) -> NaiveDate {
    NaiveDate::from_ymd_opt(opts.today.year() - opts.scale.years() + 1, 1, 9).expect("9 January exists")
}

/// Fills an empty database with demo data. Refuses a database that already has businesses, so
/// demo records never mix with real ones. `progress` gets a Russian line per phase.
///
/// The fill is thousands of small commits into a new database: none of them waits for the disk
/// (SQLite's `synchronous = NORMAL` in WAL mode — a power cut may lose the last demo records but
/// never damages the file; `synchronous_commit = off` on the server): the small demo in a debug
/// build took 38 s with an fsync per commit, 27 s without. The connection's own setting is back
/// afterwards, whatever the outcome.
pub fn generate(conn: &mut Db, opts: &DemoOptions, progress: &mut dyn FnMut(&str)) -> Result<DemoSummary> {
    let restore = match conn.engine() {
        Engine::Sqlite => {
            let level: i64 = conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
            conn.execute_batch("PRAGMA synchronous = NORMAL")?;
            format!("PRAGMA synchronous = {level}")
        }
        Engine::Postgres => {
            conn.execute_batch("SET synchronous_commit = off")?;
            "RESET synchronous_commit".to_string()
        }
    };
    let made = fill(conn, opts, progress);
    conn.execute_batch(&restore)?;
    made
}

fn fill(conn: &mut Db, opts: &DemoOptions, progress: &mut dyn FnMut(&str)) -> Result<DemoSummary> {
    let existing: i64 = conn.query_row("SELECT COUNT(*) FROM sme", [], |r| r.get(0))?;
    if existing > 0 {
        return Err(CoreError::new(
            ErrorCode::Rule,
            format!(
                "В базе уже {existing} СМСП: демонстрационные данные заполняют только пустую базу — укажите новую папку данных (--data-dir)"
            ),
        ));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let start = start_of(opts);
    let mut summary = DemoSummary::default();

    progress("Реквизиты центра, сотрудники, каталог услуг");
    let staff = setup::centre(conn, start)?;
    setup::historic_catalog(conn, start)?;

    progress(&format!("СМСП: {}", opts.scale.smes()));
    let c = ctx(SPECIALIST, start);
    let mut smes = Vec::with_capacity(opts.scale.smes() as usize);
    for n in 0..opts.scale.smes() {
        let input = people::sme(&mut rng, n + 1, start);
        let s = sme::add(conn, &c, &input)?;
        smes.push(history::Business {
            id: s.id,
            kind: s.input.kind,
            foreign: s.input.region_code != people::REGION,
            blocked: false,
            closed: Vec::new(),
            refused: false,
        });
    }
    summary.smes = smes.len() as u32;
    // One business in fifty has a §4.3 problem its first check finds (excise goods, liquidation).
    for b in smes.iter_mut() {
        if !b.foreign && rand::Rng::random_range(&mut rng, 0..50) == 0 {
            b.blocked = true;
        }
    }

    progress("Исполнители и договоры");
    let contractors = setup::contractors(conn, &mut rng, start, opts.today)?;
    summary.contractors = contractors.len() as u32;

    progress("Заявки, соглашения, акты и оплаты");
    history::run(
        conn,
        &mut rng,
        opts,
        start,
        &staff,
        &contractors,
        &mut smes,
        &mut summary,
        progress,
    )?;
    progress("Консультации и мероприятия");
    events::run(conn, &mut rng, opts, start, &smes, &mut summary)?;
    forecast(conn, opts.today)?;
    Ok(summary)
}

/// From 20 November the demo centre has made its demand analysis for next year (§7.1, due by
/// 1 December): a tenth more services and money than this year, per catalog row in use.
fn forecast(conn: &mut Db, today: NaiveDate) -> Result<()> {
    if (today.month(), today.day()) < (11, 20) {
        return Ok(());
    }
    let year = today.year() + 1;
    let c = ctx(HEAD, today);
    for row in crate::report::demand::analysis(conn, year)?
        .rows
        .into_iter()
        .filter(|r| r.services > 0)
    {
        let input = crate::report::demand::ForecastInput {
            year,
            item_code: row.item_code,
            services: row.services + row.services.div_ceil(10),
            amount: crate::money::kopecks(row.spent * rust_decimal::Decimal::new(11, 1)).to_string(),
            comment: "Рост спроса по заявкам этого года".into(),
        };
        crate::report::demand::save_forecast(conn, &c, &input)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
