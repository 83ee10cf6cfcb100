//! §4.3(3) per pair: the declaration that an SME and a contractor serving it are not one group of persons (135-ФЗ), with its date; an agreement is signed only when each of its contractors has one for its SME dated not later than the signature.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, AuditAction, Ctx};
use crate::db::{Db, Row};
use crate::error::{CoreError, Result};
use crate::params;
use crate::staff::Right;

/// The recorded declaration of one SME and one contractor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GroupDeclaration {
    pub sme_id: i64,
    pub contractor_id: i64,
    pub declared_on: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// A contractor of an agreement and its declaration for the agreement's SME, if recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PairDeclaration {
    pub sme_id: i64,
    pub contractor_id: i64,
    pub contractor_name: String,
    /// The item codes the contractor provides in the agreement.
    pub item_codes: Vec<String>,
    pub declaration: Option<GroupDeclaration>,
}

fn from_row(r: &Row) -> Result<GroupDeclaration> {
    Ok(GroupDeclaration {
        sme_id: r.get(0)?,
        contractor_id: r.get(1)?,
        declared_on: r.get(2)?,
        recorded_by: r.get(3)?,
        recorded_at: r.get(4)?,
    })
}

/// The declaration of an SME and a contractor, if one is recorded.
pub fn group_declaration(conn: &Db, sme_id: i64, contractor_id: i64) -> Result<Option<GroupDeclaration>> {
    conn.query_opt(
        "SELECT sme_id, contractor_id, declared_on, recorded_by, recorded_at FROM group_declaration
         WHERE sme_id = ?1 AND contractor_id = ?2",
        params![sme_id, contractor_id],
        from_row,
    )
}

/// Each contractor of an agreement's items, with its declaration for the agreement's SME.
pub fn pair_declarations(conn: &Db, agreement_id: i64) -> Result<Vec<PairDeclaration>> {
    let sme_id: i64 = conn
        .query_opt("SELECT sme_id FROM agreement WHERE id = ?1", [agreement_id], |r| {
            r.get(0)
        })?
        .ok_or_else(|| CoreError::not_found(format!("Соглашение № {agreement_id} не найдено")))?;
    let rows: Vec<(i64, String, String)> = conn.query_map(
        "SELECT c.id, c.name, i.item_code FROM agreement_item i JOIN contractor c ON c.id = i.contractor_id
         WHERE i.agreement_id = ?1 ORDER BY c.name, c.id, i.item_code",
        [agreement_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut out: Vec<PairDeclaration> = Vec::new();
    for (contractor_id, name, code) in rows {
        match out.last_mut() {
            Some(last) if last.contractor_id == contractor_id => last.item_codes.push(code),
            _ => out.push(PairDeclaration {
                sme_id,
                contractor_id,
                contractor_name: name,
                item_codes: vec![code],
                declaration: group_declaration(conn, sme_id, contractor_id)?,
            }),
        }
    }
    Ok(out)
}

/// Records (or replaces the date of) the declaration of an SME and a contractor. The date is the
/// paper's, not later than today.
pub fn record_group_declaration(
    conn: &mut Db,
    ctx: &Ctx,
    sme_id: i64,
    contractor_id: i64,
    declared_on: NaiveDate,
) -> Result<GroupDeclaration> {
    if declared_on > ctx.now.date() {
        return Err(CoreError::field(
            "declared_on",
            format!(
                "Дата заявления {}: не позже сегодняшнего дня — укажите дату, которая стоит на заявлении",
                declared_on.format("%d.%m.%Y")
            ),
        ));
    }
    let tx = conn.write(ctx, Right::Applications)?;
    let sme: Option<String> = tx.query_opt("SELECT full_name FROM sme WHERE id = ?1", [sme_id], |r| r.get(0))?;
    if sme.is_none() {
        return Err(CoreError::not_found(format!("СМСП № {sme_id} не найден")));
    }
    super::get(&tx, contractor_id)?;
    let before = group_declaration(&tx, sme_id, contractor_id)?;
    tx.execute(
        "INSERT INTO group_declaration (sme_id, contractor_id, declared_on, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (sme_id, contractor_id) DO UPDATE SET declared_on = excluded.declared_on,
             recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        params![sme_id, contractor_id, declared_on, ctx.actor, ctx.stamp()],
    )?;
    let after = group_declaration(&tx, sme_id, contractor_id)?.expect("just written");
    let id: i64 = tx.query_row(
        "SELECT id FROM group_declaration WHERE sme_id = ?1 AND contractor_id = ?2",
        params![sme_id, contractor_id],
        |r| r.get(0),
    )?;
    let action = if before.is_some() {
        AuditAction::Update
    } else {
        AuditAction::Create
    };
    audit::record(&tx, ctx, "group_declaration", id, action, before.as_ref(), Some(&after))?;
    tx.commit()?;
    Ok(after)
}

/// §4.3(3) at signing: every contractor of the agreement has a declaration for its SME dated not
/// later than `signed_on`; otherwise the refusal names the pair and what to do.
pub(crate) fn check_for_signing(conn: &Db, agreement_id: i64, sme_name: &str, signed_on: NaiveDate) -> Result<()> {
    for pair in pair_declarations(conn, agreement_id)? {
        let what = format!(
            "заявления о том, что СМСП «{sme_name}» и исполнитель «{}» (услуга {}) не входят в одну группу лиц (п. 4.3(3))",
            pair.contractor_name,
            pair.item_codes.join(", ")
        );
        let problem = match &pair.declaration {
            None => format!("Нет {what}: получите заявление и запишите его дату в карточке соглашения"),
            Some(d) if d.declared_on > signed_on => format!(
                "Дата {what} — {}, позже подписания {}: заявление нужно не позднее подписания соглашения",
                d.declared_on.format("%d.%m.%Y"),
                signed_on.format("%d.%m.%Y")
            ),
            Some(_) => continue,
        };
        let mut e = CoreError::new(crate::error::ErrorCode::Rule, problem);
        e.field = Some("group_declaration".into());
        return Err(e);
    }
    Ok(())
}
