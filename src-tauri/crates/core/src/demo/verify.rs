//! Re-checks a whole database against the app's rules after the fact — the cofinancing engine over every signed agreement, every identifier, every act within its agreement, every payment within the SME share — so the demo generator (and anyone's data) can be shown to break none.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::agreement::{self, AgreementStatus};
use crate::application::{self, ApplicationStatus};
use crate::db::{self, Db};
use crate::error::Result;
use crate::sme;
use crate::{act, centre, contractor, payment};

/// Every broken rule found, as Russian lines naming the record; empty when the data is sound.
pub fn violations(conn: &Db) -> Result<Vec<String>> {
    let mut out: Vec<String> = db::check(conn)?.into_iter().map(|p| format!("База: {p}")).collect();
    let far = NaiveDate::MAX;
    for e in centre::validate(&centre::get(conn)?) {
        out.push(format!("Реквизиты центра: {}", e.message));
    }
    for c in contractor::list(conn)? {
        for e in contractor::validate(&c.input) {
            out.push(format!("Исполнитель {}: {}", c.input.name, e.message));
        }
    }
    let ids = conn.query_map("SELECT id FROM sme ORDER BY id", [], |r| r.get::<_, i64>(0))?;
    for id in ids {
        let s = sme::get(conn, id)?;
        for e in sme::validate(&s.input, far) {
            out.push(format!(
                "СМСП {} (ИНН {}): {}",
                s.input.full_name, s.input.inn, e.message
            ));
        }
    }
    for summary in agreement::list(conn, None, None)? {
        let a = agreement::get(conn, summary.id)?;
        let at = format!("Соглашение № {}", a.number);
        if a.status == AgreementStatus::Draft {
            continue;
        }
        let signed_on = a.signed_on.unwrap_or(a.date);
        let check = agreement::check_agreement(conn, a.id, signed_on)?;
        // What the head waived by a recorded decision is no broken rule.
        let waived =
            |v: &crate::cofinancing::Violation| a.decision.is_some() && agreement::waivable(v, a.event_id.is_some());
        for v in check.violations.iter().filter(|v| !waived(v)) {
            out.push(format!("{at}: движок софинансирования — {} ({})", v.message, v.source));
        }
        if a.paid > a.sme_share {
            out.push(format!("{at}: оплачено {} больше доли СМСП {}", a.paid, a.sme_share));
        }
        for p in payment::list(conn, a.id)? {
            if p.input.paid_on < a.date {
                out.push(format!("{at}: платёж {} раньше даты соглашения", p.input.document));
            }
        }
        let acts = act::list(conn, a.id)?;
        for x in &acts {
            if x.date < a.date || x.signed_on.is_some_and(|s| s < x.date) {
                out.push(format!(
                    "{at}: акт № {} датирован раньше соглашения или подписан раньше своей даты",
                    x.number
                ));
            }
        }
        for item in &a.items {
            let covered: Decimal = acts
                .iter()
                .flat_map(|x| x.items.iter())
                .filter(|i| i.item_code == item.item_code)
                .map(|i| i.amount)
                .sum();
            if covered > item.total {
                out.push(format!(
                    "{at}: акты по услуге {} на {covered} больше её стоимости {}",
                    item.item_code, item.total
                ));
            }
            if a.status == AgreementStatus::Completed && covered != item.total {
                out.push(format!(
                    "{at}: исполнено, но акты по услуге {} покрывают {covered} из {}",
                    item.item_code, item.total
                ));
            }
        }
        if let Some(app) = a.application_id {
            let status = application::get(conn, app)?.status;
            let expected = match a.status {
                AgreementStatus::Completed => Some(ApplicationStatus::Completed),
                AgreementStatus::Terminated => None,
                _ => Some(ApplicationStatus::AgreementConcluded).filter(|_| status != ApplicationStatus::InProgress),
            };
            if expected.is_some_and(|e| e != status) {
                out.push(format!("{at}: заявка № {app} в статусе «{}»", status.label()));
            }
        }
    }
    let years = conn.query_map("SELECT DISTINCT year FROM budget_line ORDER BY year", [], |r| {
        r.get::<_, i32>(0)
    })?;
    for year in years {
        for line in crate::budget::show(conn, year)?.lines {
            if line.remaining.is_some_and(|r| r < Decimal::ZERO) {
                out.push(format!(
                    "Смета {year}, услуга {}: израсходовано и принято обязательств больше сметы (остаток {})",
                    line.service_code.unwrap_or_default(),
                    line.remaining.unwrap_or_default()
                ));
            }
        }
    }
    Ok(out)
}
