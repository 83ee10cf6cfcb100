//! «Журнал изменений»: the audit log as an inspector reads it — who, when, which record by its human name, what was done, and every changed field with its Russian label, before → after; filtered, searched and paged for a million entries.
//!
//! The log itself is written by [`crate::audit::record`] in the transaction of each change; this
//! module only reads it. A record's name is read from the record as it is now (an agreement's
//! number, a business's name), falling back to the name the entry itself holds (a deleted record).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

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
    /// `create`, `update`, `delete`, `print` or `export`.
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
        _ => "действие",
    }
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
fn condition(q: &JournalQuery, before: Option<i64>) -> (String, Vec<crate::db::Value>) {
    use crate::db::Value;
    let nonempty = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let mut parts = vec!["1 = 1".to_owned()];
    let mut args: Vec<Value> = Vec::new();
    let add = |sql: &str, v: Value, args: &mut Vec<Value>, parts: &mut Vec<String>| {
        args.push(v);
        parts.push(sql.replace('?', &format!("?{}", args.len())));
    };
    // A kind alone is better found walking the newest entries than through the (entity,
    // entity_id) index, which would sort a quarter of the journal: `+entity` keeps SQLite off it.
    let entity_column = if nonempty(&q.entity_id).is_some() {
        "entity"
    } else {
        "+entity"
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
        args.push(Value::Text(
            crate::search::contains_pattern(&crate::search::fold(&s)).into(),
        ));
        let n = args.len();
        parts.push(format!(
            "(fold(actor || ' ' || entity_id || ' ' || coalesce(after_json, '') || ' ' || coalesce(before_json, '')) LIKE ?{n} ESCAPE '\\'
              OR entity = 'sme' AND entity_id IN (SELECT CAST(id AS TEXT) FROM sme WHERE search_text LIKE ?{n} ESCAPE '\\'))"
        ));
    }
    if let Some(b) = before {
        add("id < ?", Value::Integer(b), &mut args, &mut parts);
    }
    (parts.join(" AND "), args)
}

/// Entries `offset .. offset + limit` of those matching `q`, the newest first.
pub fn page(conn: &Db, q: &JournalQuery, offset: u32, limit: u32) -> Result<JournalPage> {
    let (filter, args) = condition(q, None);
    let counted: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM (SELECT 1 FROM audit_log WHERE {filter} LIMIT {})",
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

fn entries(conn: &Db, filter: &str, args: &[crate::db::Value], offset: u32, limit: u32) -> Result<Vec<JournalEntry>> {
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
            action_label: action_label(&action).to_owned(),
            changes: changes(before.as_ref(), after.as_ref()),
            entity,
            entity_id,
            action,
        });
    }
    Ok(rows)
}

/// The most rows a journal export writes (an XLSX sheet holds 1 048 576).
pub const EXPORT_LIMIT: u32 = 1_000_000;

/// Writes the entries matching `q` to an XLSX file, one row per changed field (an entry without
/// fields is one row), the newest first; returns the number of entries written.
pub fn export_xlsx(conn: &Db, q: &JournalQuery, path: &std::path::Path) -> Result<u32> {
    use rust_xlsxwriter::{Format, Workbook, XlsxError};
    let x = |e: XlsxError| crate::spreadsheet::write_error(path, e);
    let mut book = Workbook::new();
    // Rows go to a temporary file as they are written: a million entries do not sit in memory.
    let sheet = book.add_worksheet_with_constant_memory().map_err(x)?;
    sheet.set_name("Журнал изменений").map_err(x)?;
    let bold = Format::new().set_bold();
    let plain = Format::new();
    let columns = [
        ("Когда", 20.0),
        ("Кто", 28.0),
        ("Действие", 12.0),
        ("Вид записи", 22.0),
        ("Запись", 40.0),
        ("Поле", 30.0),
        ("Было", 30.0),
        ("Стало", 30.0),
    ];
    for (c, (_, width)) in columns.iter().enumerate() {
        sheet.set_column_width(c as u16, *width).map_err(x)?;
    }
    for (c, (title, _)) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *title, &bold).map_err(x)?;
    }
    let (mut row, mut written, mut before) = (0u32, 0u32, None);
    'pages: loop {
        // Keyset paging: each page starts below the last id, so the export stays linear.
        let (filter, args) = condition(q, before);
        let page = entries(conn, &filter, &args, 0, 1000)?;
        let Some(last) = page.last() else {
            break;
        };
        before = Some(last.id);
        for e in &page {
            written += 1;
            let head = [
                e.at.replace('T', " "),
                e.actor.clone(),
                e.action_label.clone(),
                e.entity_label.clone(),
                e.record_name.clone(),
            ];
            let lines: Vec<[&str; 3]> = if e.changes.is_empty() {
                vec![["", "", ""]]
            } else {
                e.changes
                    .iter()
                    .map(|c| [c.label.as_str(), c.before.as_str(), c.after.as_str()])
                    .collect()
            };
            for line in lines {
                if row >= EXPORT_LIMIT {
                    break 'pages;
                }
                row += 1;
                for (c, text) in head.iter().map(String::as_str).chain(line).enumerate() {
                    if !text.is_empty() {
                        let f = crate::spreadsheet::xlsx_text_format(&plain, text);
                        sheet.write_string_with_format(row, c as u16, text, &f).map_err(x)?;
                    }
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(x)?;
    sheet
        .autofilter(0, 0, row.max(1), columns.len() as u16 - 1)
        .map_err(x)?;
    book.save(path).map_err(x)?;
    Ok(written)
}

/// The record's human name: from the record as it is now, else from what the entry holds.
fn record_name(conn: &Db, entity: &str, id: &str, before: Option<&Value>, after: Option<&Value>) -> Result<String> {
    let sql = match entity {
        "sme" => "SELECT full_name FROM sme WHERE id = ?1",
        "agreement" => "SELECT 'Соглашение № ' || number FROM agreement WHERE id = ?1",
        "act" => "SELECT 'Акт № ' || number FROM act WHERE id = ?1",
        "application" => {
            "SELECT 'Заявка № ' || a.id || ' — ' || s.full_name FROM application a JOIN sme s ON s.id = a.sme_id WHERE a.id = ?1"
        }
        "payment" => {
            "SELECT 'Оплата по соглашению № ' || g.number FROM payment p JOIN agreement g ON g.id = p.agreement_id WHERE p.id = ?1"
        }
        "contractor" => "SELECT name FROM contractor WHERE id = ?1",
        "contractor_contract" => "SELECT 'Договор № ' || number FROM contractor_contract WHERE id = ?1",
        "document" => "SELECT title FROM document WHERE id = ?1",
        "export_contract" => "SELECT 'Контракт № ' || number || ' — ' || counterparty_name FROM export_contract WHERE id = ?1",
        "foreign_buyer" => "SELECT name FROM foreign_buyer WHERE id = ?1",
        "staff" => "SELECT full_name FROM staff WHERE id = ?1",
        _ => "",
    };
    if !sql.is_empty() {
        if let Ok(n) = id.parse::<i64>() {
            if let Some(name) = conn.query_opt(sql, [n], |r| r.get::<_, String>(0))? {
                return Ok(name);
            }
        }
    }
    let held = [after, before].into_iter().flatten().find_map(|v| {
        ["full_name", "name", "title", "number"]
            .iter()
            .find_map(|k| v.get(*k).and_then(Value::as_str).filter(|s| !s.is_empty()))
            .map(str::to_owned)
    });
    Ok(held.unwrap_or_else(|| format!("{} {id}", entity_label(entity))))
}

/// Every leaf that differs, flattened to paths with Russian labels.
fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    let mut leaves = std::collections::BTreeMap::<String, (String, String)>::new();
    flatten(before, "", &mut |path, text| leaves.entry(path).or_default().0 = text);
    flatten(after, "", &mut |path, text| leaves.entry(path).or_default().1 = text);
    leaves
        .into_iter()
        .filter(|(_, (b, a))| b != a)
        .map(|(field, (before, after))| FieldChange {
            label: path_label(&field),
            field,
            before,
            after,
        })
        .collect()
}

fn flatten(v: Option<&Value>, prefix: &str, out: &mut dyn FnMut(String, String)) {
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_owned()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        None => {}
        Some(Value::Object(m)) => {
            for (k, v) in m {
                flatten(Some(v), &join(k), out);
            }
        }
        Some(Value::Array(a)) => {
            if a.is_empty() {
                out(prefix.to_owned(), "—".into());
            }
            for (i, v) in a.iter().enumerate() {
                flatten(Some(v), &join(&i.to_string()), out);
            }
        }
        Some(leaf) => {
            let last = prefix.rsplit('.').next().unwrap_or(prefix);
            out(prefix.to_owned(), value_text(last, leaf))
        }
    }
}

/// A stored code in Russian where the journal can say it better (statuses, kinds); else as stored.
fn value_text(field: &str, v: &Value) -> String {
    let word = match (field, v.as_str().unwrap_or("")) {
        ("status", "draft") => "проект",
        ("status", "signed") => "подписано",
        ("status", "in_progress") => "оказывается",
        ("status", "completed") => "завершено",
        ("status", "terminated") => "расторгнуто",
        ("status", "new") => "новая",
        ("status", "under_review") => "на рассмотрении",
        ("status", "rework") => "на доработке",
        ("status", "approved") => "одобрена",
        ("status", "agreement_concluded") => "заключено соглашение",
        ("status", "refused_by_centre") => "отказ ЦПЭ",
        ("status", "refused_by_applicant") => "отказ заявителя",
        ("kind", "contract") => "экспортный контракт",
        ("kind", "ecommerce") => "продажа через электронную торговлю",
        ("kind", "legal_entity") => "юридическое лицо",
        ("kind", "sole_proprietor") => "индивидуальный предприниматель",
        ("kind", "farm_head") => "глава КФХ",
        ("kind", "self_employed") => "самозанятый",
        _ => return text(v),
    };
    word.to_owned()
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Bool(true) => "да".into(),
        Value::Bool(false) => "нет".into(),
        Value::String(s) if s.is_empty() => "—".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// «items.0.cost» → «Позиции → 1 → Стоимость».
fn path_label(path: &str) -> String {
    path.split('.')
        .map(|part| match part.parse::<u32>() {
            Ok(n) => (n + 1).to_string(),
            Err(_) => crate::fields::label(part).to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::fixture::{ctx, day, eligible_sme, open};
    use crate::audit::Ctx;

    fn all(conn: &Db, q: &JournalQuery) -> JournalPage {
        page(conn, q, 0, 100).unwrap()
    }

    #[test]
    fn an_inspector_reads_who_changed_what_by_name_with_russian_labels() {
        let (_dir, mut conn) = open();
        let sme = eligible_sme(&mut conn, "7707083893");
        let mut s = crate::sme::get(&conn, sme).unwrap();
        s.input.full_name = "ООО «Ромашка-Экспорт»".into();
        s.input.phone = "+7 4212 55-00-00".into();
        let ivanov = Ctx::new("Иванов И. И.", day("2025-04-10").and_hms_opt(15, 30, 0).unwrap());
        crate::sme::update(&mut conn, &ivanov, sme, &s.input).unwrap();

        let log = all(&conn, &JournalQuery::default());
        assert!(log.total_exact);
        assert_eq!(log.total as usize, log.rows.len());
        let newest = &log.rows[0];
        assert_eq!(
            (newest.actor.as_str(), newest.action_label.as_str()),
            ("Иванов И. И.", "изменение")
        );
        assert_eq!(newest.entity_label, "СМСП");
        assert_eq!(
            newest.record_name, "ООО «Ромашка-Экспорт»",
            "the record's name as it is now"
        );
        let name = newest.changes.iter().find(|c| c.field == "full_name").unwrap();
        assert_eq!(
            (name.label.as_str(), name.before.as_str(), name.after.as_str()),
            ("Полное наименование", "ООО «Ромашка»", "ООО «Ромашка-Экспорт»")
        );
        assert!(newest.changes.iter().any(|c| c.field == "phone" && c.before == "—"));

        // Filters: who, kind, action, period, one record.
        let by = |q: JournalQuery| all(&conn, &q).rows.into_iter().map(|e| e.id).collect::<Vec<_>>();
        assert_eq!(
            by(JournalQuery {
                actor: Some("Иванов И. И.".into()),
                ..Default::default()
            }),
            vec![newest.id]
        );
        assert_eq!(
            by(JournalQuery {
                action: Some("update".into()),
                ..Default::default()
            }),
            vec![newest.id]
        );
        assert_eq!(
            by(JournalQuery {
                from: Some(day("2025-04-10")),
                to: Some(day("2025-04-10")),
                ..Default::default()
            }),
            vec![newest.id]
        );
        assert!(
            by(JournalQuery {
                to: Some(day("2025-04-09")),
                ..Default::default()
            })
            .len()
                >= 2
        );
        let history = by(JournalQuery {
            entity: Some("sme".into()),
            entity_id: Some(sme.to_string()),
            ..Default::default()
        });
        assert_eq!(history.len(), 2, "created, then renamed");
        assert_eq!(
            all(
                &conn,
                &JournalQuery {
                    entity: Some("agreement".into()),
                    ..Default::default()
                }
            )
            .total,
            0
        );
    }

    #[test]
    fn search_finds_russian_words_in_any_case_and_literally() {
        let (_dir, mut conn) = open();
        let sme = eligible_sme(&mut conn, "7707083893");
        let find = |conn: &Db, w: &str| {
            all(
                conn,
                &JournalQuery {
                    search: Some(w.into()),
                    ..Default::default()
                },
            )
            .total
        };
        // The creation holds the name; the eligibility check is found through the business's name.
        assert!(find(&conn, "РОМАШКА") >= 1);
        assert_eq!(find(&conn, "ромашка"), find(&conn, "РОМАШКА"));
        assert!(find(&conn, "петрова") >= 2, "by who");
        assert_eq!(find(&conn, "100%"), 0, "% is a character, not a wildcard");
        assert_eq!(find(&conn, "Ромаш_а"), 0, "_ is a character, not any letter");
        let _ = sme;
    }

    #[test]
    fn a_deleted_record_keeps_the_name_its_entry_holds_and_nested_fields_are_labelled() {
        let (_dir, mut conn) = open();
        let tx = conn.write().unwrap();
        let c = ctx("2025-05-05");
        let gone = serde_json::json!({"name": "ООО «Было»", "items": [{"cost": "100.00"}]});
        crate::audit::record(
            &tx,
            &c,
            "contractor",
            999,
            crate::audit::AuditAction::Delete,
            Some(&gone),
            None,
        )
        .unwrap();
        let b = serde_json::json!({"items": [{"cost": "100.00"}]});
        let a = serde_json::json!({"items": [{"cost": "120.00"}]});
        crate::audit::record(
            &tx,
            &c,
            "agreement",
            998,
            crate::audit::AuditAction::Update,
            Some(&b),
            Some(&a),
        )
        .unwrap();
        tx.commit().unwrap();
        let log = all(&conn, &JournalQuery::default());
        assert_eq!(log.rows[1].record_name, "ООО «Было»");
        assert_eq!(log.rows[1].action_label, "удаление");
        assert_eq!(log.rows[0].record_name, "Соглашение 998", "nothing better known");
        let cost = &log.rows[0].changes[0];
        assert_eq!(
            (cost.field.as_str(), cost.before.as_str(), cost.after.as_str()),
            ("items.0.cost", "100.00", "120.00")
        );
        assert!(cost.label.ends_with("1 → Стоимость"), "{}", cost.label);
    }

    #[test]
    fn the_export_has_a_row_per_changed_field_and_reads_back() {
        use calamine::{open_workbook_auto, Data, Reader};
        let (dir, mut conn) = open();
        let sme = eligible_sme(&mut conn, "7707083893");
        let mut s = crate::sme::get(&conn, sme).unwrap();
        s.input.full_name = "=HYPERLINK(\"http://x\")".into();
        crate::sme::update(&mut conn, &ctx("2025-04-01"), sme, &s.input).unwrap();
        let path = dir.path().join("журнал.xlsx");
        let q = JournalQuery {
            action: Some("update".into()),
            ..Default::default()
        };
        assert_eq!(export_xlsx(&conn, &q, &path).unwrap(), 1);
        let mut book = open_workbook_auto(&path).unwrap();
        let sheet = book.worksheet_range("Журнал изменений").unwrap();
        let cell = |r: u32, c: u32| match sheet.get_value((r, c)) {
            Some(Data::String(s)) => s.clone(),
            _ => String::new(),
        };
        assert_eq!(cell(0, 4), "Запись");
        assert_eq!(
            (cell(1, 1).as_str(), cell(1, 2).as_str(), cell(1, 5).as_str()),
            ("Петрова А. С.", "изменение", "Полное наименование")
        );
        assert_eq!(cell(1, 6), "ООО «Ромашка»");
        assert!(cell(1, 7).contains("HYPERLINK"), "written as text, not a formula");
    }

    /// Migration 0017 rebuilt the log to allow print and export entries: the entries of an older
    /// database keep their ids and values, and what leaves the program is recorded with its details.
    #[test]
    fn an_older_journal_is_kept_and_prints_and_exports_are_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::db::DB_FILE);
        {
            let old = crate::db::create_as_of(&path, "0016_journal_indexes");
            old.execute_batch(
                "INSERT INTO audit_log (id, at, actor, entity, entity_id, action, after_json)
                 VALUES (7, '2025-01-10T09:00:00', 'Петрова А. С.', 'staff', '3', 'create', '{\"full_name\": \"Сидорова\"}')",
            )
            .unwrap();
        }
        let mut conn = crate::db::open(&path).unwrap();
        let c = ctx("2025-06-01");
        crate::audit::record_output(
            &mut conn,
            &c,
            "document",
            55,
            crate::audit::AuditAction::Print,
            &serde_json::json!({"printer": "HP LaserJet", "copies": 2}),
        )
        .unwrap();
        let log = all(&conn, &JournalQuery::default());
        assert_eq!(log.rows.last().unwrap().id, 7);
        assert_eq!(log.rows.last().unwrap().record_name, "Сидорова");
        let printed = &log.rows[0];
        assert_eq!(
            (printed.action.as_str(), printed.action_label.as_str()),
            ("print", "печать")
        );
        let got: Vec<(&str, &str)> = printed
            .changes
            .iter()
            .map(|f| (f.label.as_str(), f.after.as_str()))
            .collect();
        assert_eq!(got, vec![("Копий", "2"), ("Принтер", "HP LaserJet")]);
        assert_eq!(
            all(
                &conn,
                &JournalQuery {
                    action: Some("print".into()),
                    ..Default::default()
                }
            )
            .total,
            1
        );
    }

    #[test]
    fn a_long_journal_is_counted_up_to_the_limit_and_paged() {
        let (_dir, mut conn) = open();
        let tx = conn.write().unwrap();
        tx.execute_batch(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {})
             INSERT INTO audit_log (at, actor, entity, entity_id, action, after_json)
             SELECT '2025-01-01T10:00:00', 'Робот', 'sme', i, 'create', '{{\"full_name\": \"ООО\"}}' FROM n",
            COUNT_LIMIT + 10
        ))
        .unwrap();
        tx.commit().unwrap();
        let p = page(&conn, &JournalQuery::default(), 50_000, 20).unwrap();
        assert_eq!((p.total, p.total_exact, p.rows.len()), (COUNT_LIMIT, false, 20));
        assert!(p.rows.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    }
}
