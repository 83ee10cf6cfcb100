//! The demo centre's support without agreements: consultations of rows 1, 3.1 and 3.2 (and some with people not yet registered), seminars of rows 4.1.1/4.1.2 each year with businesses registered and most of them present, and each year's exhibition with its individual-stand selection decided by protocol — every step through the core's write functions on its own day, after the agreements' history so the budget each event's cost is checked against is the one the year really had.

use chrono::{Datelike, Days, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use super::history::Business;
use super::{ctx, DemoOptions, DemoSummary, HEAD, SPECIALIST};
use crate::application::Channel;
use crate::consultation::{self, ConsultationInput};
use crate::db::Db;
use crate::error::{ErrorCode, Result};
use crate::event::{self, EventFormat, EventInput, EventStatus};
use crate::selection::{self, ScoreCriterion, SelectionInput};

const TOPICS: &[&str] = &[
    "Как начать экспорт: с чего начать",
    "Сертификация продукции для стран ЕАЭС",
    "Валютный контроль при экспорте",
    "Поиск покупателей в Китае",
    "Участие в выставке за рубежом",
    "Логистика до Казахстана",
    "Экспорт через маркетплейсы",
    "Меры поддержки РЭЦ: страхование экспорта",
    "Кредитование экспортёров (продукты РЭЦ)",
    "Подтверждение нулевой ставки НДС",
];

const SEMINARS: &[(&str, &str)] = &[
    ("4.1.2", "Экспорт в Казахстан: таможня и валютный контроль"),
    ("4.1.2", "Маркетплейсы за рубежом: первые шаги"),
    ("4.1.1", "Школа экспорта РЭЦ: Основы экспортной деятельности"),
    ("4.1.2", "Китай: как найти покупателя"),
    ("4.1.1", "Школа экспорта РЭЦ: Эффективная деловая коммуникация"),
    ("4.1.2", "Выставки за рубежом: как подготовить стенд"),
    ("4.1.2", "Вебинар: документы экспортного контракта"),
    ("4.1.1", "Школа экспорта РЭЦ: Логистика для экспортёров"),
];

fn working_day(rng: &mut ChaCha8Rng, year: i32, from: NaiveDate, to: NaiveDate) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, 1, 12)?.max(from);
    let last = NaiveDate::from_ymd_opt(year, 12, 25)?.min(to);
    if last < first {
        return None;
    }
    let mut d = first + Days::new(rng.random_range(0..=(last - first).num_days()) as u64);
    while d.weekday().number_from_monday() > 5 {
        d = d - Days::new(1);
    }
    (d >= first).then_some(d)
}

/// Consultations and seminars from `start` to `opts.today`, plus the seminars already planned for
/// the weeks after it.
pub(crate) fn run(
    conn: &mut Db,
    rng: &mut ChaCha8Rng,
    opts: &DemoOptions,
    start: NaiveDate,
    smes: &[Business],
    summary: &mut DemoSummary,
) -> Result<()> {
    let local: Vec<i64> = smes.iter().filter(|b| !b.foreign && !b.blocked).map(|b| b.id).collect();
    if local.is_empty() {
        return Ok(());
    }
    let pick = |rng: &mut ChaCha8Rng| local[rng.random_range(0..local.len())];
    let per_year = (opts.scale.applications_per_year() / 2).min(1_500);
    for year in start.year()..=opts.today.year() {
        for _ in 0..per_year {
            let Some(on) = working_day(rng, year, start, opts.today) else {
                continue;
            };
            let stranger = rng.random_range(0..20) == 0;
            let service_code = match rng.random_range(0..10) {
                0 => "3.1",
                1 => "3.2",
                _ => "1",
            };
            let input = ConsultationInput {
                date: on,
                sme_id: (!stranger).then(|| pick(rng)),
                person: if stranger {
                    "Обратившийся по телефону, контакт записан в журнале".into()
                } else {
                    String::new()
                },
                service_code: service_code.into(),
                channel: [Channel::Phone, Channel::Visit, Channel::Email][rng.random_range(0..3)],
                topic: TOPICS[rng.random_range(0..TOPICS.len())].into(),
                minutes: Some(rng.random_range(1..=6) * 10),
                outcome: String::new(),
                application_id: None,
            };
            consultation::add(conn, &ctx(SPECIALIST, on), &input)?;
            summary.consultations += 1;
        }
        exhibition(conn, rng, year, opts.today, &pick, summary)?;
        let seminars = if opts.scale.smes() > 1_000 { 40 } else { 10 };
        for n in 0..seminars {
            let until = opts.today + Days::new(60);
            let Some(on) = working_day(rng, year, start, until) else {
                continue;
            };
            seminar(conn, rng, opts.today, on, n, &pick, summary)?;
        }
    }
    Ok(())
}

fn seminar(
    conn: &mut Db,
    rng: &mut ChaCha8Rng,
    today: NaiveDate,
    on: NaiveDate,
    n: usize,
    pick: &dyn Fn(&mut ChaCha8Rng) -> i64,
    summary: &mut DemoSummary,
) -> Result<()> {
    let (service_code, title) = SEMINARS[(n + rng.random_range(0..SEMINARS.len())) % SEMINARS.len()];
    let planned_on = (on - Days::new(30)).min(today);
    let c = ctx(SPECIALIST, planned_on);
    let remote = title.starts_with("Вебинар");
    let mut input = EventInput {
        service_code: service_code.into(),
        title: title.into(),
        starts_on: on,
        ends_on: on,
        format: if remote {
            EventFormat::Remote
        } else {
            EventFormat::InPerson
        },
        place: if remote {
            "https://webinar.example/cpe".into()
        } else {
            "Конференц-зал ЦПЭ".into()
        },
        country_code: String::new(),
        city: String::new(),
        exhibition: String::new(),
        in_plan: false,
        contract_id: None,
        // The РЭЦ Export School is paid by РЭЦ; the centre's own seminars cost it a hall and a speaker.
        cost: (service_code == "4.1.2" && !remote).then(|| Decimal::new(rng.random_range(15..=60) * 1_000, 0)),
    };
    let e = match event::add(conn, &c, &input) {
        Ok(e) => e,
        // The year's budget has no room left: the centre holds it at no cost (its own staff speak).
        Err(err) if err.code == ErrorCode::Validation && err.field.as_deref() == Some("cost") => {
            input.cost = None;
            event::add(conn, &c, &input)?
        }
        Err(err) => return Err(err),
    };
    summary.events += 1;
    let want = rng.random_range(5..=20);
    let mut registered = Vec::new();
    for _ in 0..want {
        let sme = pick(rng);
        if registered.iter().any(|(s, _)| *s == sme) {
            continue;
        }
        let p = event::add_participant(conn, &c, e.id, sme, "")?;
        registered.push((sme, p.id));
    }
    if on > today {
        if on - Days::new(14) <= today {
            event::set_status(conn, &ctx(SPECIALIST, today), e.id, EventStatus::Registration)?;
        }
        return Ok(());
    }
    let day = ctx(SPECIALIST, on);
    for (_, participant) in &registered {
        // About four in five of those registered come.
        if rng.random_range(0..5) > 0 {
            event::mark_attendance(conn, &day, *participant, true)?;
            summary.attendances += 1;
        }
    }
    let closed_on = on + Days::new(3);
    if closed_on <= today {
        if event::get(conn, e.id)?.status != EventStatus::Held {
            event::set_status(conn, &day, e.id, EventStatus::Held)?;
        }
        event::set_status(conn, &ctx(SPECIALIST, closed_on), e.id, EventStatus::Closed)?;
    }
    Ok(())
}

/// Each year's exhibition with an individual-stand selection (§5.5.4): announced in January,
/// applications to 10 February, scored and decided by protocol on 20 February.
fn exhibition(
    conn: &mut Db,
    rng: &mut ChaCha8Rng,
    year: i32,
    today: NaiveDate,
    pick: &dyn Fn(&mut ChaCha8Rng) -> i64,
    summary: &mut DemoSummary,
) -> Result<()> {
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).expect("a date");
    if day(1, 15) > today {
        return Ok(());
    }
    let c = ctx(SPECIALIST, day(1, 12));
    let ex = event::add(
        conn,
        &c,
        &EventInput {
            service_code: "5.7".into(),
            title: format!("Выставка «Продэкспо-{year}»"),
            starts_on: day(6, 10),
            ends_on: day(6, 13),
            format: EventFormat::InPerson,
            place: "Астана, МВЦ «EXPO»".into(),
            country_code: "398".into(),
            city: "Астана".into(),
            exhibition: format!("Международная выставка продуктов питания «Продэкспо-{year}»"),
            in_plan: true,
            contract_id: None,
            cost: None,
        },
    )?;
    summary.events += 1;
    let s = selection::add(
        conn,
        &ctx(SPECIALIST, day(1, 15)),
        &SelectionInput {
            event_id: ex.id,
            additional: false,
            announced_on: day(1, 15),
            deadline: day(2, 10),
            criteria: vec![
                ScoreCriterion {
                    name: "Экспортный потенциал продукции".into(),
                    max_score: 10,
                },
                ScoreCriterion {
                    name: "Опыт участия в выставках".into(),
                    max_score: 5,
                },
            ],
            places: 2,
        },
    )?;
    let mut applied = Vec::new();
    for n in 0..5u32 {
        let on = day(1, 20) + Days::new(u64::from(n) * 4);
        if on > today {
            break;
        }
        let sme = applicant(conn, rng, pick, on, day(2, 25))?;
        if applied.contains(&sme) {
            continue;
        }
        let a = selection::apply(conn, &ctx(SPECIALIST, on), s.id, sme, on)?;
        applied.push(sme);
        if day(2, 18) <= today {
            let scores = [rng.random_range(3..=10), rng.random_range(0..=5)];
            selection::score(conn, &ctx(SPECIALIST, day(2, 18)), a.id, &scores)?;
        }
    }
    if day(2, 20) <= today && !applied.is_empty() {
        let s = selection::decide(conn, &ctx(HEAD, day(2, 20)), s.id, &format!("{year}-1"), day(2, 20))?;
        summary.selections += 1;
        // The head adds the winners' stands to the year's budget of 5.7, so that they take
        // nothing from the agreements the year already planned.
        let winners: Vec<i64> = s.candidates.iter().filter(|c| c.winner).map(|c| c.sme_id).collect();
        let line = crate::budget::get(conn, year)?.line("5.7").unwrap_or_default();
        let need = Decimal::from(STAND_COST) * Decimal::from(winners.len() as u32);
        crate::budget::set_line(conn, &ctx(HEAD, day(2, 20)), year, "5.7", line + need)?;
        for w in winners {
            stand(conn, &ex, w, day(2, 25), today, summary)?;
        }
    }
    Ok(())
}

/// A business that applies for a stand: preferably one eligible on the day that has no agreement
/// after `free_from` in the replayed years (so that a stand may be added before them), otherwise
/// any.
fn applicant(
    conn: &Db,
    rng: &mut ChaCha8Rng,
    pick: &dyn Fn(&mut ChaCha8Rng) -> i64,
    on: NaiveDate,
    free_from: NaiveDate,
) -> Result<i64> {
    let mut sme = pick(rng);
    for _ in 0..40 {
        let later: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM agreement WHERE sme_id = ?1 AND date > ?2)",
            crate::params![sme, free_from],
            |r| r.get(0),
        )?;
        if !later && crate::eligibility::current(conn, sme, on)?.verdict == crate::eligibility::Verdict::Eligible {
            break;
        }
        sme = pick(rng);
    }
    Ok(sme)
}

/// What a winner's individual stand costs the centre: choosing the exhibition, 9 m² built and
/// staffed, the samples delivered.
const STAND_COST: i64 = 570_000;

/// A winner's individual stand: its application and agreement made from the exhibition's card
/// after the protocol and signed when the cofinancing engine allows (a winner whose cap or the
/// year's budget has no room is left without one), and the act made from the card once the
/// exhibition is over.
fn stand(
    conn: &mut Db,
    ex: &event::Event,
    sme_id: i64,
    on: NaiveDate,
    today: NaiveDate,
    summary: &mut DemoSummary,
) -> Result<()> {
    use crate::agreement::{self, AgreementItemInput};
    use crate::event::{acts, bulk};
    if on > today {
        return Ok(());
    }
    // A business whose later agreements the replayed years already hold is left out: a stand
    // added before them would change what their checks saw (§6.1.5 counts earlier services).
    let later: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM agreement WHERE sme_id = ?1 AND date > ?2)",
        crate::params![sme_id, on],
        |r| r.get(0),
    )?;
    if later {
        return Ok(());
    }
    super::missions::recheck_sme(conn, sme_id, on)?;
    let item = |code: &str, cost: i64, area: Option<i64>| AgreementItemInput {
        item_code: code.into(),
        cost: Decimal::from(cost),
        sme_share: Decimal::ZERO,
        state_fees: Decimal::ZERO,
        contractor_id: None,
        contract_id: None,
        quantity: crate::catalog::ItemQuantity {
            area_m2: area.map(Decimal::from),
            ..Default::default()
        },
    };
    let input = bulk::BulkInput {
        event_id: ex.id,
        application_ids: Vec::new(),
        new_sme_ids: vec![sme_id],
        channel: Channel::Email,
        date: on,
        items: vec![
            item("5.7.b1", 60_000, None),
            item("5.7.b2", STAND_COST - 150_000, Some(9)),
            item("5.7.a4", 90_000, None),
        ],
        due_on: None,
        format: Some("abroad_individual".into()),
        declaration_signed: true,
    };
    if !bulk::preview(conn, &input, on)?.iter().all(|l| l.signable) {
        return Ok(());
    }
    let made = bulk::make(conn, &ctx(SPECIALIST, on), &input)?;
    summary.applications += 1;
    summary.agreements += 1;
    agreement::sign(conn, &ctx(SPECIALIST, on), made[0].id, on)?;
    let acted_on = ex.input.ends_on + Days::new(5);
    if acted_on > today {
        return Ok(());
    }
    let c = ctx(SPECIALIST, acted_on);
    let input = acts::ActsInput {
        event_id: ex.id,
        date: acted_on,
        agreement_ids: vec![made[0].id],
    };
    for a in acts::make(conn, &c, &input)? {
        crate::act::sign(conn, &c, a.id, acted_on)?;
        summary.acts += 1;
    }
    Ok(())
}
