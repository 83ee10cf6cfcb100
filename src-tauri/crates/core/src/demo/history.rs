//! The demo centre's years of work replayed day by day: budgets each January, applications with their §4 checks, approvals or refusals, agreements signed only when the cofinancing engine allows, payments of the SME share (some late, some never), acts — every step through the core's write functions on its own date.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use super::setup::Contractor;
use super::terms::{format_for, items_for, pick_service, rub};
use super::{ctx, DemoOptions, DemoSummary, HEAD, SPECIALIST};
use crate::act::{self, ActInput, ActItemInput};
use crate::agreement::{self, AgreementInput, AgreementItemInput, AgreementStatus, PlannedPayment};
use crate::application::{self, ApplicationInput, ApplicationStatus, Channel, RefusalReason, TransitionInput};
use crate::budget;
use crate::catalog;
use crate::cofinancing::{Proposal, ProposedItem, ViolationCode};
use crate::contractor;
use crate::db::Db;
use crate::eligibility::{self, CheckInput, CheckSource, Criterion, CriterionResult, Outcome};
use crate::error::{CoreError, Result};
use crate::money;
use crate::payment::{self, PaymentInput};
use crate::sme::SmeKind;

/// A business as the generator tracks it between steps.
pub struct Business {
    pub id: i64,
    pub kind: SmeKind,
    /// Registered in another region (§4.3.2).
    pub foreign: bool,
    /// Has a §4.3 problem its check finds.
    pub blocked: bool,
    /// Days its standalone or complex services were closed by an act (§6.1.5 looks back 3 years).
    pub closed: Vec<NaiveDate>,
    /// Was refused under §6.1.1.
    pub refused: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Budget,
    Receive,
    Decide,
    Sign,
    Pay(u8),
    Act,
    RefuseUnpaid,
    Contract,
}

/// One application and what becomes of it.
struct Case {
    service: &'static str,
    items: Vec<AgreementItemInput>,
    participants: Option<u32>,
    /// The service's format (5.7, 5.8): one not given on a competitive basis.
    format: Option<String>,
    /// Days after the due date the SME pays (negative: early); `None`: never pays (§6.1.4).
    pays_after: Option<i64>,
    act_after: u64,
    /// The export contract that follows the service: its date (the report comes a few days later).
    contract_on: Option<NaiveDate>,
    business: usize,
    application: i64,
    agreement: i64,
}

fn weekday(mut d: NaiveDate) -> NaiveDate {
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d = d + Days::new(1);
    }
    d
}

fn after(d: NaiveDate, days: u64) -> NaiveDate {
    weekday(d + Days::new(days))
}

struct Run<'a> {
    conn: &'a mut Db,
    staff: &'a [i64],
    smes: &'a mut [Business],
    cases: Vec<Case>,
    queue: BinaryHeap<Reverse<(NaiveDate, Step, usize)>>,
    budgets: BTreeMap<i32, BTreeMap<&'static str, Decimal>>,
    rates: super::export::Rates,
    summary: &'a mut DemoSummary,
    missions: super::missions::Missions,
}

#[allow(clippy::too_many_arguments)]
pub fn run(
    conn: &mut Db,
    rng: &mut ChaCha8Rng,
    opts: &DemoOptions,
    start: NaiveDate,
    staff: &[i64],
    contractors: &[Contractor],
    smes: &mut [Business],
    summary: &mut DemoSummary,
    progress: &mut dyn FnMut(&str),
) -> Result<()> {
    let cat = catalog::seed();
    let mut run = Run {
        conn,
        staff,
        smes,
        cases: Vec::new(),
        queue: BinaryHeap::new(),
        budgets: BTreeMap::new(),
        rates: Default::default(),
        summary,
        missions: Default::default(),
    };
    for year in start.year()..=opts.today.year() {
        run.queue.push(Reverse((
            start.with_year(year).expect("9 January"),
            Step::Budget,
            year as usize,
        )));
        for _ in 0..opts.scale.applications_per_year() {
            let received =
                weekday(NaiveDate::from_ymd_opt(year, 1, 12).expect("a date") + Days::new(rng.random_range(0..340)));
            if received > opts.today {
                continue;
            }
            let service = pick_service(rng);
            let items = items_for(rng, &cat, service, year, contractors);
            let centre: Decimal = items.iter().map(|i| i.cost - i.sme_share).sum();
            *run.budgets.entry(year).or_default().entry(service).or_default() += centre;
            let roll = rng.random_range(0..1000);
            run.cases.push(Case {
                service,
                participants: matches!(service, "5.4").then(|| rng.random_range(3..=6)),
                format: format_for(&cat, service, run.cases.len()),
                items,
                pays_after: match roll {
                    0..15 => None,
                    15..115 => Some(rng.random_range(5..60)),
                    _ => Some(-rng.random_range(0..5)),
                },
                act_after: rng.random_range(25..120),
                contract_on: None,
                business: rng.random_range(0..run.smes.len()),
                application: 0,
                agreement: 0,
            });
            let n = run.cases.len() - 1;
            run.queue.push(Reverse((received, Step::Receive, n)));
        }
    }
    let total = run.cases.len();
    let mut done = 0usize;
    while let Some(Reverse((on, step, n))) = run.queue.pop() {
        if on > opts.today {
            continue;
        }
        run.step(rng, on, step, n)?;
        if step == Step::Receive {
            done += 1;
            if done % 5000 == 0 {
                progress(&format!("Заявки: {done} из {total}"));
            }
        }
    }
    run.summary.overdue_payments = payment::overdue(run.conn, opts.today)?.len() as u32;
    Ok(())
}

impl Run<'_> {
    fn at(&mut self, on: NaiveDate, step: Step, n: usize) {
        self.queue.push(Reverse((on, step, n)));
    }

    fn step(&mut self, rng: &mut ChaCha8Rng, on: NaiveDate, step: Step, n: usize) -> Result<()> {
        match step {
            Step::Budget => self.budget(on, n as i32),
            Step::Receive => self.receive(rng, on, n),
            Step::Decide => self.decide(on, n),
            Step::Sign => self.sign(on, n),
            Step::Pay(k) => self.pay(on, n, k),
            Step::Act => self.act(rng, on, n),
            Step::Contract => {
                let case = &self.cases[n];
                let (sme_id, agreement, contract_on) = (self.smes[case.business].id, case.agreement, case.contract_on);
                let contract_on = contract_on.expect("scheduled with a date");
                super::export::contract(self.conn, rng, &mut self.rates, sme_id, agreement, n, contract_on, on)?;
                self.summary.export_contracts += 1;
                Ok(())
            }
            Step::RefuseUnpaid => {
                let a = agreement::get(self.conn, self.cases[n].agreement)?;
                if a.status.is_active() && a.paid < a.sme_share {
                    payment::refuse_for_nonpayment(self.conn, &ctx(SPECIALIST, on), a.id, on)?;
                    self.summary.terminated += 1;
                    self.summary.refused += 1;
                }
                Ok(())
            }
        }
    }

    /// The year's budget per service: what the year's planned agreements need, with a reserve.
    fn budget(&mut self, on: NaiveDate, year: i32) -> Result<()> {
        let lines = self.budgets.get(&year).cloned().unwrap_or_default();
        for (service, need) in lines {
            let amount = (need * Decimal::new(115, 2) / rub(100_000)).ceil() * rub(100_000);
            budget::set_line(self.conn, &ctx(HEAD, on), year, service, amount)?;
        }
        Ok(())
    }

    /// An application arrives; the specialist checks the business against §4 the same day.
    fn receive(&mut self, rng: &mut ChaCha8Rng, on: NaiveDate, n: usize) -> Result<()> {
        // Businesses that already had two services in three years apply less often (§6.1.5 makes the third hard).
        // A business refused as ineligible rarely comes back.
        let mut b = self.cases[n].business;
        for _ in 0..10 {
            let s = &self.smes[b];
            let recent = s.closed.iter().filter(|d| (on - **d).num_days() < 3 * 365).count();
            if recent < 2 && !s.refused {
                break;
            }
            b = rng.random_range(0..self.smes.len());
        }
        self.cases[n].business = b;
        let biz = &self.smes[b];
        let c = ctx(SPECIALIST, on);
        let criteria = Criterion::required_for(biz.kind)
            .into_iter()
            .map(|k| {
                if biz.foreign && k == Criterion::InCentreRegion {
                    CriterionResult::new(k, Outcome::Fail, "зарегистрирован в другом субъекте РФ")
                } else if biz.blocked && k == Criterion::NotExciseOrMinerals {
                    CriterionResult::new(k, Outcome::Fail, "производит подакцизную продукцию (ОКВЭД 11.07)")
                } else {
                    CriterionResult::new(k, Outcome::Pass, "проверено по выписке из реестра МСП и сайту ФНС")
                }
            })
            .collect();
        eligibility::record(
            self.conn,
            &c,
            &CheckInput {
                sme_id: biz.id,
                source: CheckSource::Manual {
                    comment: "сайт ФНС: реестр МСП, ЕГРЮЛ/ЕГРИП (демонстрационные данные)".into(),
                },
                criteria,
            },
        )?;
        self.summary.eligibility_checks += 1;
        let case = &self.cases[n];
        let item_codes = if case.service.starts_with('5') {
            case.items.iter().map(|i| i.item_code.clone()).collect()
        } else {
            Vec::new()
        };
        let app = application::add(
            self.conn,
            &c,
            &ApplicationInput {
                sme_id: biz.id,
                service_code: case.service.into(),
                item_codes,
                received_on: on,
                channel: [Channel::Email, Channel::Visit, Channel::Phone, Channel::FederalPlatform][n % 4],
                responsible_staff_id: Some(self.staff[n % 2 * 2]),
                comment: String::new(),
            },
        )?;
        self.summary.applications += 1;
        self.cases[n].application = app.id;
        let to_review = after(on, 1);
        self.at(to_review, Step::Decide, n);
        Ok(())
    }

    fn transition(&mut self, on: NaiveDate, app: i64, to: ApplicationStatus) -> Result<()> {
        let input = TransitionInput {
            to,
            comment: String::new(),
            refusal: None,
        };
        application::transition(self.conn, &ctx(SPECIALIST, on), app, &input)?;
        Ok(())
    }

    fn refuse(&mut self, on: NaiveDate, app: i64, reason: RefusalReason, text: &str) -> Result<()> {
        application::refuse(self.conn, &ctx(SPECIALIST, on), app, reason, text)?;
        self.summary.refused += 1;
        Ok(())
    }

    /// Review: an ineligible business is refused (§6.1.1), the others approved.
    fn decide(&mut self, on: NaiveDate, n: usize) -> Result<()> {
        let app = self.cases[n].application;
        self.transition(on, app, ApplicationStatus::UnderReview)?;
        let biz = &self.smes[self.cases[n].business];
        if biz.foreign || biz.blocked {
            let text = if biz.foreign {
                "СМСП зарегистрирован в другом субъекте Российской Федерации (п. 4.3.2)"
            } else {
                "СМСП производит подакцизные товары (п. 4.3.8)"
            };
            self.smes[self.cases[n].business].refused = true;
            return self.refuse(after(on, 1), app, RefusalReason::NotEligible, text);
        }
        let approve = after(on, 2);
        self.transition(approve, app, ApplicationStatus::Approved)?;
        let sign = after(approve, 3);
        self.at(sign, Step::Sign, n);
        Ok(())
    }

    /// The agreement is drafted and signed the same day, when the engine allows it; otherwise
    /// the application is refused with the reason the engine gives (§6.1.2 or §6.1.5).
    fn sign(&mut self, on: NaiveDate, n: usize) -> Result<()> {
        let case = &self.cases[n];
        let sme_id = self.smes[case.business].id;
        let proposal = Proposal {
            service_code: case.service.into(),
            items: case
                .items
                .iter()
                .map(|i| ProposedItem {
                    item_code: i.item_code.clone(),
                    cost: i.cost,
                    sme_share: i.sme_share,
                    state_fees: i.state_fees,
                    quantity: i.quantity.clone(),
                })
                .collect(),
            participants: case.participants,
            declaration_signed: true,
            date: on,
            requested_on: None,
            format: case.format.clone(),
            selection: None,
        };
        let check = agreement::check_proposal(self.conn, sme_id, &proposal, on, None)?;
        if !check.signable {
            let v = &check.violations[0];
            let reason = match v.code {
                ViolationCode::ThreeServicesNoContract => RefusalReason::ThreeServicesNoContract,
                ViolationCode::BudgetExceeded | ViolationCode::CapExceeded => RefusalReason::NoFunding,
                _ => {
                    return Err(CoreError::storage(format!(
                        "Генератор демонстрационных данных предложил условия, которые движок не принял: {} ({})",
                        v.message, v.source
                    )))
                }
            };
            let app = case.application;
            let text = v.message.clone();
            return self.refuse(on, app, reason, &text);
        }
        let sme_share: Decimal = case.items.iter().map(|i| i.sme_share).sum();
        let mut schedule = Vec::new();
        if sme_share > rub(200_000) {
            let first = money::kopecks((sme_share / rub(2)).ceil());
            schedule.push(PlannedPayment {
                due_on: after(on, 10),
                amount: first,
                contract_id: None,
            });
            schedule.push(PlannedPayment {
                due_on: after(on, 40),
                amount: sme_share - first,
                contract_id: None,
            });
        } else if sme_share > Decimal::ZERO {
            schedule.push(PlannedPayment {
                due_on: after(on, 10),
                amount: sme_share,
                contract_id: None,
            });
        }
        // A mission's agreement names it; its participants are the mission's signed agreements.
        let (event_id, leftovers) = match case.service {
            "5.4" => {
                let (e, l) = self.missions.mission_for(self.conn, on, sme_id)?;
                (Some(e), l)
            }
            _ => (None, Vec::new()),
        };
        for m in leftovers {
            self.after_signing(on, m)?;
        }
        let case = &self.cases[n];
        let input = AgreementInput {
            sme_id,
            application_id: Some(case.application),
            date: on,
            service_code: case.service.into(),
            participants: case.participants,
            declaration_signed: true,
            items: case.items.clone(),
            payment_schedule: schedule.clone(),
            stages: Vec::new(),
            format: case.format.clone(),
            selection: None,
            event_id,
        };
        let c = ctx(SPECIALIST, on);
        let a = agreement::create(self.conn, &c, &input)?;
        // §4.3(3): the contractor's declaration for this SME, taken with the signed original.
        for cid in case.items.iter().filter_map(|i| i.contractor_id) {
            if contractor::group_declaration(self.conn, sme_id, cid)?.is_none() {
                contractor::record_group_declaration(self.conn, &c, sme_id, cid, on)?;
            }
        }
        self.cases[n].agreement = a.id;
        let signed = match event_id {
            None => {
                agreement::sign(self.conn, &c, a.id, on)?;
                vec![n]
            }
            Some(event) => self.missions.join(self.conn, on, event, n, a.id)?,
        };
        for m in signed {
            self.after_signing(on, m)?;
        }
        Ok(())
    }

    /// The payments and the act of a case whose agreement was signed on `on`.
    fn after_signing(&mut self, on: NaiveDate, n: usize) -> Result<()> {
        self.summary.agreements += 1;
        let schedule = agreement::get(self.conn, self.cases[n].agreement)?.payment_schedule;
        let pays_after = self.cases[n].pays_after;
        for (k, p) in schedule.iter().enumerate() {
            match pays_after {
                Some(d) => self.at(
                    weekday(p.due_on.checked_add_signed(chrono::Duration::days(d)).expect("a date")),
                    Step::Pay(k as u8),
                    n,
                ),
                None if k == 0 => self.at(after(p.due_on, 45), Step::RefuseUnpaid, n),
                None => {}
            }
        }
        // A December agreement's act may fall in January: it is paid from the agreement's year's
        // budget up to the carry-over day (budget::act_budget_year).
        self.at(after(on, self.cases[n].act_after), Step::Act, n);
        Ok(())
    }

    fn pay(&mut self, on: NaiveDate, n: usize, k: u8) -> Result<()> {
        let a = agreement::get(self.conn, self.cases[n].agreement)?;
        let Some(p) = a.payment_schedule.get(k as usize) else {
            return Ok(());
        };
        if a.status == AgreementStatus::Terminated {
            return Ok(());
        }
        let on = on.max(a.date);
        payment::add(
            self.conn,
            &ctx(SPECIALIST, on),
            &PaymentInput {
                agreement_id: a.id,
                paid_on: on,
                amount: p.amount,
                document: format!("п/п № {}", 1000 + a.id * 3 + i64::from(k)),
            },
        )?;
        self.summary.payments += 1;
        Ok(())
    }

    /// The service is done: one act for the whole agreement, signed by both parties on `on`.
    fn act(&mut self, rng: &mut ChaCha8Rng, on: NaiveDate, n: usize) -> Result<()> {
        let a = agreement::get(self.conn, self.cases[n].agreement)?;
        if !a.status.is_active() {
            return Ok(());
        }
        let c = ctx(SPECIALIST, on);
        let drawn = weekday((on - Days::new(3)).max(a.date));
        let act = act::add(
            self.conn,
            &c,
            &ActInput {
                agreement_id: a.id,
                stage_id: None,
                number: String::new(),
                date: drawn.min(on),
                items: a
                    .items
                    .iter()
                    .map(|i| ActItemInput {
                        item_code: i.item_code.clone(),
                        amount: i.total,
                    })
                    .collect(),
            },
        )?;
        act::sign(self.conn, &c, act.id, on)?;
        self.summary.acts += 1;
        self.smes[self.cases[n].business].closed.push(on);
        // Four services in ten lead to an export contract the SME reports within 15 working days.
        if rng.random_range(0..10) < 4 {
            let contract_on = weekday(on + Days::new(rng.random_range(10..150)));
            self.cases[n].contract_on = Some(contract_on);
            self.at(after(contract_on, rng.random_range(1..15)), Step::Contract, n);
        }
        Ok(())
    }
}
