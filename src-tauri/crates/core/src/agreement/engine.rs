//! The agreements and acts as the cofinancing engine's source of truth: the SME's history (cap used, services closed by acts), the budget's committed and spent, and the one function that runs the engine on a proposal or an agreement.

use crate::db::Db;
use crate::params;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::store::status_from;
use super::{AgreementItemInput, AgreementStatus};
use crate::budget::{self, BudgetUsage, UsageKind};
use crate::catalog;
use crate::cofinancing::{
    self, CheckInput, CofinancingCheck, EligibilityVerdict, PastAgreement, PastItem, Proposal, ProposedItem, SmeHistory,
};
use crate::eligibility::{self, Verdict};
use crate::error::Result;
use crate::money;

struct Row {
    id: i64,
    service_code: String,
    date: NaiveDate,
    status: AgreementStatus,
    completed_on: Option<NaiveDate>,
}

/// The SME's signed (non-draft) agreements, leaving out `exclude`, read through the sme_id index
/// (an optional-SME filter, `?1 IS NULL OR sme_id = ?1`, made each check scan every agreement).
fn signed_agreements(conn: &Db, sme_id: i64, exclude: Option<i64>) -> Result<Vec<Row>> {
    let raw = conn.query_map(
        "SELECT id, service_code, date, status, completed_on FROM agreement
         WHERE sme_id = ?1 AND status <> 'draft' AND id IS DISTINCT FROM ?2 ORDER BY id",
        params![sme_id, exclude],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?, r.get(4)?)),
    )?;
    raw.into_iter()
        .map(|(id, service_code, date, status, completed_on)| {
            Ok(Row {
                id,
                service_code,
                date,
                status: status_from(status)?,
                completed_on,
            })
        })
        .collect()
}

/// (item code, centre share) of an agreement's items.
fn item_shares(conn: &Db, id: i64) -> Result<Vec<(String, Decimal)>> {
    let rows = conn.query_map(
        "SELECT item_code, centre_share FROM agreement_item WHERE agreement_id = ?1 ORDER BY id",
        [id],
        |r| Ok((r.get(0)?, money::column(r, 1)?)),
    )?;
    Ok(rows)
}

/// (item code, centre share, signed on) of the signed acts of an agreement.
fn acted_shares(conn: &Db, id: i64) -> Result<Vec<(String, Decimal, NaiveDate)>> {
    let rows = conn.query_map(
        "SELECT ai.item_code, ai.centre_share, a.signed_on FROM act_item ai JOIN act a ON a.id = ai.act_id
         WHERE a.agreement_id = ?1 AND a.signed_on IS NOT NULL",
        [id],
        |r| Ok((r.get(0)?, money::column(r, 1)?, r.get(2)?)),
    )?;
    Ok(rows)
}

/// What the centre has already given the SME: every signed agreement (a terminated one only with
/// what its signed acts covered), closed on the date it was completed by its acts, and the export
/// contracts the SME reported as results of them (§6.1.5).
pub fn sme_history(conn: &Db, sme_id: i64, exclude: Option<i64>) -> Result<SmeHistory> {
    let mut agreements = Vec::new();
    for a in signed_agreements(conn, sme_id, exclude)? {
        let items: Vec<PastItem> = if a.status == AgreementStatus::Terminated {
            acted_shares(conn, a.id)?
                .into_iter()
                .map(|(item_code, centre_share, _)| PastItem {
                    item_code,
                    centre_share,
                })
                .collect()
        } else {
            item_shares(conn, a.id)?
                .into_iter()
                .map(|(item_code, centre_share)| PastItem {
                    item_code,
                    centre_share,
                })
                .collect()
        };
        agreements.push(PastAgreement {
            id: a.id,
            service_code: a.service_code,
            concluded_on: a.date,
            closed_on: a.completed_on,
            items,
        });
    }
    Ok(SmeHistory {
        agreements,
        export_contracts: crate::export_contract::export_refs(conn, sme_id)?,
    })
}

/// The budget usage of `year`: committed = the centre's share of signed agreements not closed,
/// less what their signed acts (of any year) already cover, counted in the agreement's year;
/// spent = the centre's share of signed acts whose budget year is `year` (see
/// [`crate::budget::act_budget_year`]); and the costs of the year's events
/// ([`crate::event::budget_usage`]). `exclude` leaves one agreement out.
///
/// The engine runs this on every check, and summing the year's acts is its costliest part (on the
/// server, tens of milliseconds at a busy centre's year end): the year's totals are kept until the
/// data changes ([`Db::memo`]), and the excluded agreement's own share is taken off them.
pub fn budget_usage(conn: &Db, year: i32, exclude: Option<i64>) -> Result<Vec<BudgetUsage>> {
    let usage = conn.memo(&format!("budget_usage/{year}"), |conn| year_usage(conn, year))?;
    let own_spent = match exclude {
        Some(id) => spent_of(conn, year, id)?,
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for (service_code, kopecks) in usage.spent {
        let own = own_spent
            .iter()
            .find(|(s, _)| *s == service_code)
            .map_or(0, |(_, k)| *k);
        // A service whose only acts of the year are the excluded agreement's is not used at all.
        if own != 0 && kopecks == own {
            continue;
        }
        out.push(BudgetUsage {
            service_code,
            year,
            kind: UsageKind::Spent,
            centre_share: Decimal::new(kopecks - own, 2),
        });
    }
    for (id, service_code, kopecks) in usage.committed {
        if Some(id) != exclude && kopecks > 0 {
            out.push(BudgetUsage {
                service_code,
                year,
                kind: UsageKind::Committed,
                centre_share: Decimal::new(kopecks, 2),
            });
        }
    }
    out.extend(usage.events);
    Ok(out)
}

/// The year's usage as read from the tables (what [`budget_usage`] keeps).
#[derive(Clone)]
struct YearUsage {
    /// Kopecks of signed acts per service, in the order of the services.
    spent: Vec<(String, i64)>,
    /// Kopecks each open agreement of the year has left to spend: (agreement, service, kopecks).
    committed: Vec<(i64, String, i64)>,
    events: Vec<BudgetUsage>,
}

/// Only the year's signed acts (their own service and centre share, migration 0033) and the year's
/// open agreements are read (indexes of migrations 0011, 0023 and 0033): a scan of all agreements
/// made signing slower with every year of history. Sums are in whole kopecks (exact, see
/// `money::sql_sum_kopecks`).
fn year_usage(conn: &Db, year: i32) -> Result<YearUsage> {
    let (from, to) = (format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1));
    // Signed acts carry their service and centre share (migration 0033): one index read.
    let spent = conn.query_map(
        "SELECT service_code, COALESCE(SUM(centre_kopecks), 0) FROM act
         WHERE budget_year = ?1 GROUP BY service_code ORDER BY service_code",
        params![year],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
    )?;
    // What each open agreement has left to spend: its items less its signed acts, in one
    // statement (a query per agreement made a year-end signature cost thousands of queries).
    let committed = conn.query_map(
        &format!(
            "SELECT g.id, g.service_code,
                (SELECT {} FROM agreement_item i WHERE i.agreement_id = g.id)
              - (SELECT COALESCE(SUM(a.centre_kopecks), 0) FROM act a
                  WHERE a.agreement_id = g.id AND a.signed_on IS NOT NULL)
         FROM agreement g
         WHERE g.status IN ('signed', 'in_progress') AND g.date >= ?1 AND g.date < ?2
         ORDER BY g.id",
            money::sql_sum_kopecks("i.centre_share")
        ),
        params![from, to],
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)),
    )?;
    Ok(YearUsage {
        spent,
        committed,
        events: crate::event::budget_usage(conn, year, None)?,
    })
}

/// One agreement's signed acts of budget year `year`, in kopecks per service.
fn spent_of(conn: &Db, year: i32, id: i64) -> Result<Vec<(String, i64)>> {
    conn.query_map(
        "SELECT service_code, COALESCE(SUM(centre_kopecks), 0) FROM act
         WHERE agreement_id = ?1 AND budget_year = ?2 GROUP BY service_code",
        params![id, year],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
    )
}

/// The engine's view of the staff's §4 verdict on the SME as of `today`.
fn eligibility_of(conn: &Db, sme_id: i64, today: NaiveDate) -> Result<EligibilityVerdict> {
    let current = eligibility::current(conn, sme_id, today)?;
    Ok(match (current.check.is_some(), current.verdict) {
        (false, _) => EligibilityVerdict::Unknown,
        (true, Verdict::Eligible) => EligibilityVerdict::Eligible,
        (true, Verdict::NotEligible) => EligibilityVerdict::NotEligible,
        (true, Verdict::NeedsRecheck) => EligibilityVerdict::NeedsRecheck,
    })
}

/// Runs the cofinancing engine on a proposal for an SME with everything loaded from the database:
/// the catalog in force on the proposal's date, the SME's history from agreements and acts, its
/// eligibility verdict as of `today`, the budget of the proposal's year and the settings.
/// `exclude` leaves one agreement out of the history and the budget (re-checking it, or its
/// supplementary agreement). `cpe cofinancing check` and the UI call this.
pub fn check_proposal(
    conn: &Db,
    sme_id: i64,
    proposal: &Proposal,
    today: NaiveDate,
    exclude: Option<i64>,
) -> Result<CofinancingCheck> {
    let cat = catalog::version_for(conn, proposal.date)?;
    check_with(conn, &cat, sme_id, proposal, today, exclude)
}

fn check_with(
    conn: &Db,
    cat: &catalog::ServiceCatalog,
    sme_id: i64,
    proposal: &Proposal,
    today: NaiveDate,
    exclude: Option<i64>,
) -> Result<CofinancingCheck> {
    let history = sme_history(conn, sme_id, exclude)?;
    let year = proposal.date.year();
    let status = budget::status(&budget::get(conn, year)?, &budget_usage(conn, year, exclude)?);
    let settings = cofinancing::get_settings(conn)?;
    Ok(cofinancing::check(&CheckInput {
        catalog: cat,
        history: &history,
        eligibility: eligibility_of(conn, sme_id, today)?,
        proposal,
        budget: &status,
        settings: &settings,
    }))
}

pub(super) fn proposal_of(
    a: &super::Agreement,
    items: &[AgreementItemInput],
    requested_on: Option<NaiveDate>,
) -> Proposal {
    Proposal {
        service_code: a.service_code.clone(),
        items: items
            .iter()
            .map(|i| ProposedItem {
                item_code: i.item_code.clone(),
                cost: i.cost,
                sme_share: i.sme_share,
                state_fees: i.state_fees,
                quantity: i.quantity.clone(),
            })
            .collect(),
        participants: a.participants,
        declaration_signed: a.declaration_signed,
        date: a.date,
        requested_on,
        format: a.format.clone(),
        selection: a.selection.clone(),
    }
}

/// The receipt date of the application an agreement answers (§6.1.5 looks back from it).
pub fn requested_on(conn: &Db, application_id: Option<i64>) -> Result<Option<NaiveDate>> {
    match application_id {
        Some(id) => conn.query_opt("SELECT received_on FROM application WHERE id = ?1", [id], |r| r.get(0)),
        None => Ok(None),
    }
}

/// The engine's verdict on an agreement as it stands (under its own catalog version), leaving
/// it out of the history and budget so it is not counted twice.
pub fn check_agreement(conn: &Db, id: i64, today: NaiveDate) -> Result<CofinancingCheck> {
    check_signing(conn, id, today, 0)
}

/// The same when `together` more agreements of its event are being signed with it: an agreement
/// of an event counts as participants the event's other signed agreements, itself, and those.
pub(super) fn check_signing(conn: &Db, id: i64, today: NaiveDate, together: u32) -> Result<CofinancingCheck> {
    let a = super::get(conn, id)?;
    let cat = catalog::get_version(conn, a.catalog_version_id)?;
    let mut p = proposal_of(&a, &a.terms().items, requested_on(conn, a.application_id)?);
    if let Some(event) = a.event_id {
        p.participants = Some(event_signed(conn, event, id)? + 1 + together);
    }
    p.selection = won_selection(conn, &a)?;
    check_with(conn, &cat, a.sme_id, &p, today, Some(id))
}

/// §5.5.4: the selection an agreement's SME won for its exhibition (the agreement's event), from the
/// records of [`crate::selection`] — never a typed protocol.
pub(crate) fn won_selection(conn: &Db, a: &super::Agreement) -> Result<Option<String>> {
    match a.event_id {
        Some(event) => crate::selection::won(conn, event, a.sme_id),
        None => Ok(None),
    }
}

/// The agreements of an event signed and not terminated, but `exclude`.
pub(crate) fn event_signed(conn: &Db, event_id: i64, exclude: i64) -> Result<u32> {
    conn.query_row(
        "SELECT count(*) FROM agreement WHERE event_id = ?1 AND id <> ?2
           AND status IN ('signed', 'in_progress', 'completed')",
        params![event_id, exclude],
        |r| r.get(0),
    )
}

/// The same for amended items (a supplementary agreement).
pub(super) fn check_items(
    conn: &Db,
    id: i64,
    items: &[AgreementItemInput],
    today: NaiveDate,
) -> Result<CofinancingCheck> {
    let a = super::get(conn, id)?;
    let cat = catalog::get_version(conn, a.catalog_version_id)?;
    // The cap period and the budget year stay those of the agreement itself.
    let mut p = proposal_of(&a, items, requested_on(conn, a.application_id)?);
    if let Some(event) = a.event_id {
        p.participants = Some(event_signed(conn, event, id)? + 1);
    }
    p.selection = won_selection(conn, &a)?;
    check_with(conn, &cat, a.sme_id, &p, today, Some(id))
}
