//! The demo centre's business missions (5.4, «не менее 3 СМСП единовременно»): agreements join the next mission abroad, and the drafts are signed together once three participants are there; a mission that leaves without three is held by the head's decision, as the regulation lets the centre decide.

use chrono::{Days, NaiveDate};

use super::{ctx, HEAD, SPECIALIST};
use crate::agreement;
use crate::db::Db;
use crate::eligibility::{self, CheckInput, CheckSource, Criterion, CriterionResult, Outcome, Verdict};
use crate::error::Result;
use crate::event::{self, EventFormat, EventInput};

const DESTINATIONS: [(&str, &str, &str); 4] = [
    ("398", "Казахстан", "Алматы"),
    ("156", "Китай", "Харбин"),
    ("860", "Узбекистан", "Ташкент"),
    ("051", "Армения", "Ереван"),
];

/// The mission agreements join: its event, first day and the demo cases whose drafts wait at it.
struct Mission {
    id: i64,
    starts_on: NaiveDate,
    waiting: Vec<(usize, i64)>,
}

#[derive(Default)]
pub(super) struct Missions {
    open: Vec<Mission>,
    made: usize,
}

impl Missions {
    /// The mission an agreement of 5.4 for `sme_id` made on `on` joins: an open one that starts more
    /// than a week later and does not have the business yet, otherwise a new one two months ahead.
    /// The drafts left at a mission that leaves without three participants are signed by the head's
    /// decision; their cases are returned.
    pub(super) fn mission_for(&mut self, conn: &mut Db, on: NaiveDate, sme_id: i64) -> Result<(i64, Vec<usize>)> {
        let mut leftovers = Vec::new();
        let (leaving, open): (Vec<Mission>, Vec<Mission>) =
            self.open.drain(..).partition(|m| m.starts_on <= on + Days::new(7));
        self.open = open;
        for old in leaving {
            for (case, id) in old.waiting {
                recheck(conn, id, on)?;
                agreement::sign_by_decision(
                    conn,
                    &ctx(HEAD, on),
                    id,
                    on,
                    "Миссия проводится вместе с делегацией региона: участников от центра меньше трёх",
                )?;
                leftovers.push(case);
            }
        }
        for m in &self.open {
            let taken: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM agreement WHERE event_id = ?1 AND sme_id = ?2 AND status <> 'terminated')",
                crate::params![m.id, sme_id],
                |r| r.get(0),
            )?;
            if !taken {
                return Ok((m.id, leftovers));
            }
        }
        let (country, name, city) = DESTINATIONS[self.made % DESTINATIONS.len()];
        self.made += 1;
        let starts_on = on + Days::new(60);
        let e = event::add(
            conn,
            &ctx(SPECIALIST, on),
            &EventInput {
                service_code: "5.4".into(),
                title: format!("Бизнес-миссия: {name}, {city}"),
                starts_on,
                ends_on: starts_on + Days::new(3),
                format: EventFormat::InPerson,
                place: format!("{city}, деловой центр"),
                country_code: country.into(),
                city: city.into(),
                exhibition: String::new(),
                in_plan: true,
                contract_id: None,
                cost: None,
            },
        )?;
        self.open.push(Mission {
            id: e.id,
            starts_on,
            waiting: Vec::new(),
        });
        Ok((e.id, leftovers))
    }

    /// The draft of `case` waits at its mission; with three drafts there, all are signed together
    /// and their cases returned.
    pub(super) fn join(
        &mut self,
        conn: &mut Db,
        on: NaiveDate,
        event_id: i64,
        case: usize,
        agreement_id: i64,
    ) -> Result<Vec<usize>> {
        let Some(m) = self.open.iter_mut().find(|m| m.id == event_id) else {
            return Ok(Vec::new());
        };
        m.waiting.push((case, agreement_id));
        let signed = event::get(conn, m.id)?.signed as usize;
        if signed + m.waiting.len() < 3 {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = m.waiting.iter().map(|(_, id)| *id).collect();
        for id in &ids {
            recheck(conn, *id, on)?;
        }
        agreement::sign_together(conn, &ctx(SPECIALIST, on), &ids, on)?;
        Ok(m.waiting.drain(..).map(|(case, _)| case).collect())
    }
}

/// A draft that waited for its mission longer than a check stays valid (§4.4) has its SME checked
/// again on the day it is signed (the demo's businesses that reached an agreement pass).
fn recheck(conn: &mut Db, agreement_id: i64, on: NaiveDate) -> Result<()> {
    let sme_id = agreement::get(conn, agreement_id)?.sme_id;
    recheck_sme(conn, sme_id, on)
}

/// The business checked against §4 again on `on` unless a check still valid says it is eligible.
pub(super) fn recheck_sme(conn: &mut Db, sme_id: i64, on: NaiveDate) -> Result<()> {
    if eligibility::current(conn, sme_id, on)?.verdict == Verdict::Eligible {
        return Ok(());
    }
    let kind = crate::sme::get(conn, sme_id)?.input.kind;
    let criteria = Criterion::required_for(kind)
        .into_iter()
        .map(|k| CriterionResult::new(k, Outcome::Pass, "проверено повторно перед подписанием"))
        .collect();
    eligibility::record(
        conn,
        &ctx(SPECIALIST, on),
        &CheckInput {
            sme_id,
            source: CheckSource::Manual {
                comment: "сайт ФНС: реестр МСП, ЕГРЮЛ/ЕГРИП (демонстрационные данные)".into(),
            },
            criteria,
        },
    )?;
    Ok(())
}
