//! The audit log: every change a user makes is recorded, in the same transaction, as who, when, which record, and its values before and after (for an update, only the fields that changed).

use crate::db::Db;
use crate::params;
use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::error::Result;
use crate::staff::{Right, Role};

/// Who is making a change, with which role, and when. Passed into every write so that rules never
/// read the clock, and checked by [`Db::write`] against the table of rights.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The logged-in staff member's full name: what the journal and documents record.
    pub actor: String,
    pub role: Role,
    /// The account, when the change is made by a logged-in person (not by setup or the demo).
    pub staff_id: Option<i64>,
    pub now: NaiveDateTime,
}

impl Ctx {
    /// A context with the head's rights and no account: for the first setup of a database that has
    /// no accounts yet, the demo generator and tests. The app and the CLI make theirs from a login
    /// ([`crate::staff::Session::ctx`]).
    pub fn new(actor: impl Into<String>, now: NaiveDateTime) -> Self {
        Ctx {
            actor: actor.into(),
            role: Role::Head,
            staff_id: None,
            now,
        }
    }

    /// The same person with another role (tests of rights).
    pub fn with_role(mut self, role: Role) -> Self {
        self.role = role;
        self
    }

    /// Refuses what the role may not do, before anything is read or written.
    pub fn require(&self, right: Right) -> Result<()> {
        crate::staff::rights::require(self.role, right)
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
    /// A document sent to a printer.
    Print,
    /// A document, list or report written to a file outside the database.
    Export,
    /// A staff member logged in (or unlocked the program).
    Login,
    /// A login with a wrong password, an unknown login or a disabled account.
    LoginFailed,
}

impl AuditAction {
    fn as_str(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Delete => "delete",
            AuditAction::Print => "print",
            AuditAction::Export => "export",
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
        }
    }
}

/// Records that something left the program — `what` (a document, a list, a report; `entity` and
/// `entity_id` as in the journal) printed or written to a file — with the details an inspector
/// needs (file, printer, copies, rows, the filter), in a transaction of its own. Called by the app
/// and the CLI once the file is written or the job sent.
pub fn record_output(
    conn: &mut Db,
    ctx: &Ctx,
    entity: &str,
    entity_id: impl ToString,
    action: AuditAction,
    details: &Value,
) -> Result<()> {
    let tx = conn.write(ctx, Right::Output)?;
    record(&tx, ctx, entity, entity_id, action, None, Some(details))?;
    tx.commit()?;
    Ok(())
}

/// The mark of a record's last change: the id of its newest journal entry (0 for none). A form
/// reads it before the record and gives it back on save ([`unchanged_since`]).
pub fn last_change(conn: &Db, entity: &str, entity_id: impl ToString) -> Result<i64> {
    conn.query_row(
        "SELECT coalesce(max(id), 0) FROM audit_log WHERE entity = ?1 AND entity_id = ?2
           AND action IN ('create', 'update', 'delete')",
        params![entity, entity_id.to_string()],
        |r| r.get(0),
    )
}

/// Refuses to save over a change made after the form was opened (`seen`, from [`last_change`]),
/// inside the saving transaction — so under the write lock, with no gap for a third change. The
/// message names who changed what and when.
pub fn unchanged_since(conn: &Db, entity: &str, entity_id: impl ToString, seen: i64) -> Result<()> {
    let id = entity_id.to_string();
    let newer: Vec<(String, String, Option<String>)> = conn.query_map(
        "SELECT actor, at, after_json FROM audit_log WHERE entity = ?1 AND entity_id = ?2 AND id > ?3
           AND action IN ('create', 'update', 'delete') ORDER BY id",
        params![entity, id, seen],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let Some((actor, at, _)) = newer.last() else {
        return Ok(());
    };
    let mut fields: Vec<String> = Vec::new();
    for (_, _, after) in &newer {
        if let Some(Value::Object(map)) = after.as_deref().and_then(|t| serde_json::from_str(t).ok()) {
            for k in map
                .keys()
                .filter(|k| !matches!(k.as_str(), "updated_at" | "created_at"))
            {
                let label = crate::fields::label(k).to_owned();
                if !fields.contains(&label) {
                    fields.push(label);
                }
            }
        }
    }
    let what = if fields.is_empty() {
        String::new()
    } else {
        format!(" (изменено: {})", fields.join(", "))
    };
    let when = at.replace('T', " ");
    Err(crate::error::CoreError::new(
        crate::error::ErrorCode::Conflict,
        format!(
            "Пока форма была открыта, эту запись изменил(а) {actor} — {when}{what}. Ваши изменения пока не сохранены: \
             сохраните их поверх или загрузите запись заново"
        ),
    ))
}

/// Writes one audit entry. Call it inside the transaction that makes the change, so the change
/// and its entry are committed or rolled back together. A creation stores the whole new record, a
/// deletion the whole old one; an update stores only the fields whose values changed, before and
/// after (a status change of an agreement is a few dozen bytes, not the agreement twice).
pub fn record<T: Serialize>(
    conn: &Db,
    ctx: &Ctx,
    entity: &str,
    entity_id: impl ToString,
    action: AuditAction,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<()> {
    let value = |v: Option<&T>| v.map(|v| serde_json::to_value(v).expect("domain records serialise"));
    let (before, after) = match (value(before), value(after)) {
        (Some(b), Some(a)) => {
            let (b, a) = changed_fields(b, a);
            (Some(b), Some(a))
        }
        other => other,
    };
    let json = |v: Option<Value>| v.map(|v| v.to_string());
    conn.execute(
        "INSERT INTO audit_log (at, actor, entity, entity_id, action, before_json, after_json, login)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, (SELECT login FROM staff WHERE id = ?8))",
        params![
            ctx.stamp(),
            ctx.actor,
            entity,
            entity_id.to_string(),
            action.as_str(),
            json(before),
            json(after),
            ctx.staff_id
        ],
    )?;
    Ok(())
}

/// The fields of two records that differ, each side keeping its own values. Nested objects are
/// compared field by field; lists element by element and written as `{"position": element}` (a
/// status added to an application's timeline is that one entry, not the timeline twice).
fn changed_fields(before: Value, after: Value) -> (Value, Value) {
    let by_position =
        |list: Vec<Value>| Value::Object(list.into_iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect());
    match (before, after) {
        (Value::Array(b), Value::Array(a)) => changed_fields(by_position(b), by_position(a)),
        (Value::Object(mut b), Value::Object(mut a)) => {
            let mut keys: Vec<String> = b.keys().chain(a.keys()).cloned().collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                match (b.remove(&k), a.remove(&k)) {
                    (Some(x), Some(y)) if x == y => {}
                    (Some(x), Some(y)) => {
                        let (x, y) = changed_fields(x, y);
                        b.insert(k.clone(), x);
                        a.insert(k, y);
                    }
                    (x, y) => {
                        if let Some(x) = x {
                            b.insert(k.clone(), x);
                        }
                        if let Some(y) = y {
                            a.insert(k, y);
                        }
                    }
                }
            }
            (Value::Object(b), Value::Object(a))
        }
        other => other,
    }
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
pub fn list(conn: &Db, entity: Option<&str>, entity_id: Option<&str>, limit: u32) -> Result<Vec<AuditEntry>> {
    let rows = conn.query_map(
        "SELECT id, at, actor, entity, entity_id, action, before_json, after_json FROM audit_log
         WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2)
         ORDER BY id DESC LIMIT ?3",
        params![entity, entity_id, limit],
        |r| {
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
        },
    )?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_update_keeps_only_what_changed_on_each_side() {
        let before = json!({"id": 7, "status": "draft", "number": "1/2026-С",
            "requisites": {"name": "ООО «Старое»", "inn": "7707083893"}, "items": [1, 2], "signed_on": null});
        let after = json!({"id": 7, "status": "signed", "number": "1/2026-С",
            "requisites": {"name": "ООО «Новое»", "inn": "7707083893"}, "items": [1, 2, 3], "signed_on": "2026-03-02",
            "paid": "0.00"});
        let (b, a) = changed_fields(before, after);
        assert_eq!(
            b,
            json!({"status": "draft", "requisites": {"name": "ООО «Старое»"}, "items": {}, "signed_on": null})
        );
        assert_eq!(
            a,
            json!({"status": "signed", "requisites": {"name": "ООО «Новое»"}, "items": {"2": 3},
                "signed_on": "2026-03-02", "paid": "0.00"})
        );
        // A changed element of a list is that element's changed fields, under its position.
        let (b, a) = changed_fields(
            json!({"items": [{"code": "4.2", "cost": "100"}, {"code": "4.3", "cost": "5"}]}),
            json!({"items": [{"code": "4.2", "cost": "120"}, {"code": "4.3", "cost": "5"}]}),
        );
        assert_eq!(
            (b, a),
            (
                json!({"items": {"0": {"cost": "100"}}}),
                json!({"items": {"0": {"cost": "120"}}})
            )
        );
    }

    #[test]
    fn a_creation_keeps_the_whole_record_and_an_update_its_changes() {
        let conn = crate::db::Db::from_sqlite(rusqlite::Connection::open_in_memory().unwrap());
        conn.execute_batch(
            "CREATE TABLE audit_log (id INTEGER PRIMARY KEY, at TEXT, actor TEXT, entity TEXT, entity_id TEXT,
                                     action TEXT, before_json TEXT, after_json TEXT, login TEXT);
             CREATE TABLE staff (id INTEGER PRIMARY KEY, login TEXT)",
        )
        .unwrap();
        let ctx = Ctx::new(
            "Петрова",
            chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        );
        let v1 = json!({"name": "ООО «Рыбак»", "inn": "7707083893"});
        let v2 = json!({"name": "ООО «Рыбак-2»", "inn": "7707083893"});
        record(&conn, &ctx, "sme", 1, AuditAction::Create, None, Some(&v1)).unwrap();
        record(&conn, &ctx, "sme", 1, AuditAction::Update, Some(&v1), Some(&v2)).unwrap();
        let log = list(&conn, Some("sme"), Some("1"), 10).unwrap();
        assert_eq!(
            log[1].after_json.as_deref(),
            Some(r#"{"inn":"7707083893","name":"ООО «Рыбак»"}"#)
        );
        assert_eq!(log[0].before_json.as_deref(), Some(r#"{"name":"ООО «Рыбак»"}"#));
        assert_eq!(log[0].after_json.as_deref(), Some(r#"{"name":"ООО «Рыбак-2»"}"#));
    }
}
