//! How an entry reads for a person: the record's human name, and its changes flattened to fields with Russian labels, statuses and kinds in words.

use serde_json::Value;

use super::{entity_label, FieldChange};
use crate::db::Db;
use crate::error::Result;
use crate::sme::shown_name_sql;

/// The record's human name: from the record as it is now, else from what the entry holds.
pub(super) fn record_name(
    conn: &Db,
    entity: &str,
    id: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<String> {
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
        "consultation" => "SELECT 'Консультация от ' || date || ': ' || topic FROM consultation WHERE id = ?1",
        "event" => "SELECT 'Мероприятие «' || title || '»' FROM event WHERE id = ?1",
        "event_participant" => concat!(
            "SELECT ",
            shown_name_sql!("s"),
            " || ' — участник «' || e.title || '»' FROM event_participant p
             JOIN sme s ON s.id = p.sme_id JOIN event e ON e.id = p.event_id WHERE p.id = ?1"
        ),
        "selection" => "SELECT 'Конкурсный отбор: ' || e.title FROM selection s JOIN event e ON e.id = s.event_id WHERE s.id = ?1",
        "selection_application" => concat!(
            "SELECT 'Заявка на отбор: ' || ",
            shown_name_sql!("m"),
            " FROM selection_application a JOIN sme m ON m.id = a.sme_id WHERE a.id = ?1"
        ),
        "group_declaration" => {
            "SELECT s.full_name || ' — ' || c.name FROM group_declaration g JOIN sme s ON s.id = g.sme_id
             JOIN contractor c ON c.id = g.contractor_id WHERE g.id = ?1"
        }
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
pub(super) fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
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
        ("role", role) if crate::staff::Role::parse(role).is_some() => {
            crate::staff::Role::parse(role).map_or("", crate::staff::Role::label)
        }
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
        ("export_experience", "none") => "нет опыта экспорта",
        ("export_experience", "one_off") => "разовые поставки",
        ("export_experience", "regular") => "регулярный экспорт",
        ("category", c) if crate::sme::SmeCategory::parse(c).is_some() => {
            crate::sme::SmeCategory::parse(c).map_or("", crate::sme::SmeCategory::label)
        }
        // A stamp of a record («created_at», «decided_at») as a person writes it.
        (f, t) if f.ends_with("_at") && t.len() == 19 && t.as_bytes().get(10) == Some(&b'T') => {
            return chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S")
                .map(|d| d.format("%d.%m.%Y %H:%M").to_string())
                .unwrap_or_else(|_| t.to_owned());
        }
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
