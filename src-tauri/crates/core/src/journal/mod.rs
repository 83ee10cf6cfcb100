//! «Журнал изменений»: the audit log as an inspector reads it — who, when, which record by its human name, what was done, and every changed field with its Russian label, before → after; filtered, searched and paged for a million entries.
//!
//! The log itself is written by [`crate::audit::record`] in the transaction of each change; this
//! module only reads it. A record's name is read from the record as it is now (an agreement's
//! number, a business's name), falling back to the name the entry itself holds (a deleted record).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

mod display;
mod export;

use display::{changes, record_name};
pub use export::{export_xlsx, EXPORT_LIMIT};

use crate::db::Db;
use crate::error::Result;

/// What the journal is narrowed to; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct JournalQuery {
    /// Exactly this staff member (as written in the log).
    #[serde(default)]
    #[ts(optional)]
    pub actor: Option<String>,
    /// A kind of record (`sme`, `agreement`, …; see [`ENTITIES`]).
    #[serde(default)]
    #[ts(optional)]
    pub entity: Option<String>,
    /// With `entity`: one record (its id) — the «История» of a card.
    #[serde(default)]
    #[ts(optional)]
    pub entity_id: Option<String>,
    /// `create`, `update`, `delete`, `print`, `export`, `login` or `login_failed`.
    #[serde(default)]
    #[ts(optional)]
    pub action: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub from: Option<NaiveDate>,
    /// Inclusive.
    #[serde(default)]
    #[ts(optional)]
    pub to: Option<NaiveDate>,
    /// Words found in who, the record's id or the values written (any case, ё = е).
    #[serde(default)]
    #[ts(optional)]
    pub search: Option<String>,
}

/// One field of a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FieldChange {
    /// Path in the record: `status`, `items.0.cost`.
    pub field: String,
    /// In Russian: «Статус», «Позиции → 1 → Стоимость».
    pub label: String,
    /// The value before, as text; empty for a creation.
    pub before: String,
    /// The value after, as text; empty for a deletion.
    pub after: String,
}

/// One entry as shown to staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct JournalEntry {
    pub id: i64,
    /// `YYYY-MM-DDTHH:MM:SS`, local time of the PC that wrote it.
    pub at: String,
    pub actor: String,
    pub entity: String,
    /// «Соглашение», «СМСП», …
    pub entity_label: String,
    pub entity_id: String,
    /// «Соглашение № 12/2025-С», «ООО «Ромашка»»; the kind and id when nothing better is known.
    pub record_name: String,
    pub action: String,
    /// «создание», «изменение», «удаление».
    pub action_label: String,
    pub changes: Vec<FieldChange>,
}

/// A window of the journal, the newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct JournalPage {
    /// Entries matching (counted up to [`COUNT_LIMIT`]).
    pub total: u32,
    /// False when counting stopped at the limit: there are at least `total`.
    pub total_exact: bool,
    pub rows: Vec<JournalEntry>,
}

/// Counting stops here: a journal of millions shows «не менее 100 000» and still scrolls.
pub const COUNT_LIMIT: u32 = 100_000;

/// Kinds of record in the log, their Russian names, and how a record's name is read now.
pub const ENTITIES: &[(&str, &str)] = &[
    ("sme", "СМСП"),
    ("eligibility_check", "Проверка соответствия"),
    ("application", "Заявка"),
    ("agreement", "Соглашение"),
    ("act", "Акт"),
    ("payment", "Оплата"),
    ("contractor", "Исполнитель"),
    ("contractor_contract", "Договор с исполнителем"),
    ("group_declaration", "Заявление о группе лиц"),
    ("consultation", "Консультация"),
    ("event", "Мероприятие"),
    ("event_participant", "Участник мероприятия"),
    ("selection", "Конкурсный отбор"),
    ("selection_application", "Заявка на конкурсный отбор"),
    ("document", "Документ"),
    ("document_scan", "Скан документа"),
    ("export_contract", "Экспортный контракт"),
    ("export_reminder_contact", "Напоминание об отчёте"),
    ("foreign_buyer", "Иностранный покупатель"),
    ("currency_rate", "Курс ЦБ"),
    ("currency_rate_import", "Загрузка курсов ЦБ"),
    ("fns_snapshot", "Выгрузка реестра МСП"),
    ("catalog_version", "Каталог услуг"),
    ("budget", "Смета"),
    ("demand_forecast", "Прогноз потребности"),
    ("calendar_year", "Производственный календарь"),
    ("calendar_day", "День календаря"),
    ("centre", "Реквизиты ЦПЭ"),
    ("staff", "Сотрудник"),
    ("setting", "Настройка"),
    ("session_settings", "Блокировка при бездействии"),
    ("cofinancing_settings", "Настройки софинансирования"),
    ("database", "База данных"),
    ("sme_list", "Список СМСП"),
    ("buyer_list", "Список иностранных покупателей"),
    ("report", "Отчёт"),
    ("acts_batch", "Акты за период"),
    ("export_reminders", "Напоминания об отчётах по контрактам"),
    ("journal", "Журнал изменений"),
];

pub fn entity_label(entity: &str) -> String {
    ENTITIES
        .iter()
        .find(|(e, _)| *e == entity)
        .map(|(_, l)| (*l).to_owned())
        .unwrap_or_else(|| entity.to_owned())
}

pub fn action_label(action: &str) -> &'static str {
    match action {
        "create" => "создание",
        "update" => "изменение",
        "delete" => "удаление",
        "print" => "печать",
        "export" => "выгрузка в файл",
        "login" => "вход в программу",
        "login_failed" => "неудачный вход",
        _ => "действие",
    }
}

/// A change whose new status is «signed» (an agreement, an act, a document marked signed) reads as
/// a signing, not as a plain change.
fn signing(action: &str, after: Option<&Value>) -> Option<&'static str> {
    let after = after?;
    let signed = after.get("status").and_then(Value::as_str) == Some("signed")
        || after.get("signed_on").is_some_and(|v| !v.is_null());
    (action == "update" && signed).then_some("подписание")
}

/// A kind of record for the filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct JournalKind {
    pub entity: String,
    pub label: String,
}

/// What the journal's filters offer: the staff who appear in it and the kinds of record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct JournalFilters {
    pub actors: Vec<String>,
    pub kinds: Vec<JournalKind>,
}

pub fn filters(conn: &Db) -> Result<JournalFilters> {
    Ok(JournalFilters {
        actors: conn.query_map("SELECT DISTINCT actor FROM audit_log ORDER BY actor", [], |r| r.get(0))?,
        kinds: ENTITIES
            .iter()
            .map(|(entity, label)| JournalKind {
                entity: (*entity).to_owned(),
                label: (*label).to_owned(),
            })
            .collect(),
    })
}

/// The SQL condition of `q` with its arguments, only the parts given (so SQLite can use the
/// indexes of `entity`/`entity_id`, `actor` and `at`), and entries older than `before` when set.
pub(super) fn condition(
    q: &JournalQuery,
    before: Option<i64>,
    engine: crate::db::Engine,
) -> (String, Vec<crate::db::Value>) {
    use crate::db::Value;
    let nonempty = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let mut parts = vec!["1 = 1".to_owned()];
    let mut args: Vec<Value> = Vec::new();
    let add = |sql: &str, v: Value, args: &mut Vec<Value>, parts: &mut Vec<String>| {
        args.push(v);
        parts.push(sql.replace('?', &format!("?{}", args.len())));
    };
    // A kind alone is better found walking the newest entries than through the (entity,
    // entity_id) index, which would sort a quarter of the journal: `entity || ''` keeps SQLite off
    // it (the unary `+entity` SQLite knows for that is not SQL PostgreSQL reads).
    let entity_column = if nonempty(&q.entity_id).is_some() {
        "entity"
    } else {
        "entity || ''"
    };
    for (column, value) in [
        ("actor", nonempty(&q.actor)),
        (entity_column, nonempty(&q.entity)),
        ("entity_id", nonempty(&q.entity_id)),
        ("action", nonempty(&q.action)),
    ] {
        if let Some(v) = value {
            add(&format!("{column} = ?"), Value::Text(v.into()), &mut args, &mut parts);
        }
    }
    if let Some(d) = q.from {
        add(
            "at >= ?",
            Value::Text(d.format("%Y-%m-%dT00:00:00").to_string().into()),
            &mut args,
            &mut parts,
        );
    }
    if let Some(d) = q.to.and_then(|d| d.succ_opt()) {
        add(
            "at < ?",
            Value::Text(d.format("%Y-%m-%dT00:00:00").to_string().into()),
            &mut args,
            &mut parts,
        );
    }
    if let Some(s) = nonempty(&q.search) {
        let folded = crate::search::fold(&s);
        args.push(Value::Text(crate::search::contains_pattern(&folded).into()));
        let n = args.len();
        let sme = crate::sme::search::contains(engine, &folded, n, &mut args);
        parts.push(format!(
            "(fold(actor || ' ' || entity_id || ' ' || coalesce(after_json, '') || ' ' || coalesce(before_json, '')) LIKE ?{n} ESCAPE '\\'
              OR entity = 'sme' AND entity_id IN (SELECT CAST(id AS TEXT) FROM sme WHERE {sme}))"
        ));
    }
    if let Some(b) = before {
        add("id < ?", Value::Integer(b), &mut args, &mut parts);
    }
    (parts.join(" AND "), args)
}

/// Entries `offset .. offset + limit` of those matching `q`, the newest first.
pub fn page(conn: &Db, q: &JournalQuery, offset: u32, limit: u32) -> Result<JournalPage> {
    let (filter, args) = condition(q, None, conn.engine());
    let counted: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM (SELECT 1 FROM audit_log WHERE {filter} LIMIT {}) AS page",
            COUNT_LIMIT + 1
        ),
        args.as_slice(),
        |r| r.get(0),
    )?;
    Ok(JournalPage {
        total: counted.min(i64::from(COUNT_LIMIT)) as u32,
        total_exact: counted <= i64::from(COUNT_LIMIT),
        rows: entries(conn, &filter, &args, offset, limit)?,
    })
}

pub(super) fn entries(
    conn: &Db,
    filter: &str,
    args: &[crate::db::Value],
    offset: u32,
    limit: u32,
) -> Result<Vec<JournalEntry>> {
    let raw = conn.query_map(
        &format!(
            "SELECT id, at, actor, entity, entity_id, action, before_json, after_json FROM audit_log
             WHERE {filter} ORDER BY id DESC LIMIT {} OFFSET {offset}",
            limit.min(1000)
        ),
        args,
        |r| {
            Ok((
                (r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?),
                (r.get::<_, String>(3)?, r.get::<_, String>(4)?, r.get::<_, String>(5)?),
                (r.get::<_, Option<String>>(6)?, r.get::<_, Option<String>>(7)?),
            ))
        },
    )?;
    let mut rows = Vec::with_capacity(raw.len());
    for ((id, at, actor), (entity, entity_id, action), (before, after)) in raw {
        let parse = |s: &Option<String>| s.as_deref().and_then(|s| serde_json::from_str::<Value>(s).ok());
        let (before, after) = (parse(&before), parse(&after));
        let record_name = record_name(conn, &entity, &entity_id, before.as_ref(), after.as_ref())?;
        rows.push(JournalEntry {
            id,
            at,
            actor,
            entity_label: entity_label(&entity),
            record_name,
            action_label: signing(&action, after.as_ref())
                .unwrap_or_else(|| action_label(&action))
                .to_owned(),
            changes: changes(before.as_ref(), after.as_ref()),
            entity,
            entity_id,
            action,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests;
