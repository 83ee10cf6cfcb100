//! The audit log: every change a user makes is recorded, in the same transaction, as who, when, which record, and its values before and after.

use chrono::NaiveDateTime;
use rusqlite::{params, Connection};
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;

/// Who is making a change and when. Passed into every write so that rules never read the clock.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The staff member's name as chosen in the app (or the CLI user).
    pub actor: String,
    pub now: NaiveDateTime,
}

impl Ctx {
    pub fn new(actor: impl Into<String>, now: NaiveDateTime) -> Self {
        Ctx {
            actor: actor.into(),
            now,
        }
    }

    /// The timestamp format stored in every `*_at` column.
    pub fn stamp(&self) -> String {
        self.now.format("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AuditAction {
    Create,
    Update,
    Delete,
}

impl AuditAction {
    fn as_str(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Delete => "delete",
        }
    }
}

/// Writes one audit entry. Call it inside the transaction that makes the change, so the change
/// and its entry are committed or rolled back together.
pub fn record<T: Serialize>(
    conn: &Connection,
    ctx: &Ctx,
    entity: &str,
    entity_id: impl ToString,
    action: AuditAction,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<()> {
    let json = |v: Option<&T>| v.map(|v| serde_json::to_string(v).expect("domain records serialise"));
    conn.execute(
        "INSERT INTO audit_log (at, actor, entity, entity_id, action, before_json, after_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            ctx.stamp(),
            ctx.actor,
            entity,
            entity_id.to_string(),
            action.as_str(),
            json(before),
            json(after)
        ],
    )?;
    Ok(())
}

/// One line of the audit log as shown to staff.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// The newest entries first; `entity` narrows to one kind of record (and `entity_id` to one record).
pub fn list(conn: &Connection, entity: Option<&str>, entity_id: Option<&str>, limit: u32) -> Result<Vec<AuditEntry>> {
    let mut st = conn.prepare(
        "SELECT id, at, actor, entity, entity_id, action, before_json, after_json FROM audit_log
         WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2)
         ORDER BY id DESC LIMIT ?3",
    )?;
    let rows = st.query_map(params![entity, entity_id, limit], |r| {
        Ok(AuditEntry {
            id: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            entity: r.get(3)?,
            entity_id: r.get(4)?,
            action: r.get(5)?,
            before_json: r.get(6)?,
            after_json: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
