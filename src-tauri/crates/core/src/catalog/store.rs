//! Storage of catalog versions: each version is one row holding its services as a JSON document, because a version is a snapshot that agreements refer to as a whole.

use crate::db::Db;
use crate::db::Row;
use crate::params;
use crate::staff::Right;
use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use super::{seed, validate, Service, ServiceCatalog};
use crate::audit::{self, AuditAction, Ctx};
use crate::error::{CoreError, ErrorCode, Result};
use crate::parsed::ParsedTexts;

/// A line of the list of versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CatalogVersionSummary {
    pub id: i64,
    pub effective_from: NaiveDate,
    pub title: String,
    pub used_since: Option<NaiveDate>,
}

/// Dates are ISO `YYYY-MM-DD` TEXT; a malformed one reads as a conversion error, never as "no date".
fn date_col(r: &Row, i: usize) -> Result<Option<NaiveDate>> {
    r.get(i)
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

const COLUMNS: &str = "id, effective_from, title, used_since, services_json";

fn from_row(r: &Row) -> Result<(ServiceCatalog, String)> {
    let json: String = r.get(4)?;
    Ok((
        ServiceCatalog {
            id: r.get(0)?,
            effective_from: date_col(r, 1)?.unwrap_or_default(),
            title: r.get(2)?,
            used_since: date_col(r, 3)?,
            services: Vec::new(),
        },
        json,
    ))
}

/// Services parsed and checked, by their JSON text: a version is read by every agreement it
/// backs, and its parse and check were most of the work of signing one.
static PARSED: ParsedTexts<Vec<Service>> = ParsedTexts::new(8);

fn parse((mut c, json): (ServiceCatalog, String)) -> Result<ServiceCatalog> {
    c.services = PARSED.get(&json, |json| {
        let services: Vec<Service> = serde_json::from_str(json).map_err(|e| {
            CoreError::storage(format!(
                "Версия каталога № {} повреждена ({e}). Восстановите базу из резервной копии.",
                c.id
            ))
        })?;
        // Terms are checked when written; a version that fails them now was changed by other
        // means, and its rates and caps must not reach the engine's arithmetic.
        if let Some(problem) = validate(&services).into_iter().next() {
            return Err(CoreError::storage(format!(
                "Версия каталога № {} в базе не проходит проверку ({problem}). Восстановите базу из резервной копии.",
                c.id
            )));
        }
        Ok(services)
    })?;
    Ok(c)
}

/// Loads the shipped catalog when the database has none: called by the migration step, inside its transaction.
pub fn seed_if_empty(conn: &Db) -> Result<()> {
    let n: i64 = conn.query_row("SELECT COUNT(*) FROM catalog_version", [], |r| r.get(0))?;
    if n == 0 {
        let c = seed();
        let stamp = format!("{}T00:00:00", c.effective_from);
        conn.execute(
            "INSERT INTO catalog_version (effective_from, title, services_json, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![iso(c.effective_from), c.title, to_json(&c.services), stamp],
        )?;
    }
    Ok(())
}

/// Catalog rows whose names were shortened in the shipped catalog before 0022, with their names in
/// the regulation (the shipped catalog now has these).
const SHORTENED: [(&str, &str); 3] = [
    ("4.3", "Содействие в обеспечении защиты и оформлении прав на результаты интеллектуальной деятельности и средства индивидуализации за пределами Российской Федерации"),
    ("4.4", "Содействие в проведении индивидуальных маркетинговых или патентных исследований иностранных рынков"),
    ("5.7", "Организация участия СМСП в международных выставочно-ярмарочных мероприятиях в России и за рубежом (индивидуальный или коллективный стенд)"),
];

/// Gives rows 4.3, 4.4 and 5.7 of every stored version their full names, where a version still
/// has the shortened ones (a name the head edited is left alone). Migration 0022.
pub fn restore_full_names(conn: &Db) -> Result<()> {
    let full = seed();
    let rows: Vec<(i64, String)> = conn.query_map("SELECT id, services_json FROM catalog_version", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    for (id, json) in rows {
        let Ok(mut services) = serde_json::from_str::<Vec<Service>>(&json) else {
            continue;
        };
        let mut changed = false;
        for s in &mut services {
            if let Some((_, _)) = SHORTENED.iter().find(|(code, old)| *code == s.code && *old == s.name) {
                if let Some(new) = full.service(&s.code) {
                    s.name = new.name.clone();
                    changed = true;
                }
            }
        }
        if changed {
            conn.execute(
                "UPDATE catalog_version SET services_json = ?1 WHERE id = ?2",
                params![to_json(&services), id],
            )?;
        }
    }
    Ok(())
}

/// Migrations 0024, 0026 and 0028: items of the stored versions that are the seed's (same code
/// and name) get the seed's `support_kind` and quantity `limits` where they have none, and
/// services the seed's `formats`; an item the head renamed or added is left untouched.
pub fn fill_seed_annotations(conn: &Db) -> Result<()> {
    let seeded = seed();
    let rows: Vec<(i64, String)> = conn.query_map("SELECT id, services_json FROM catalog_version", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    for (id, json) in rows {
        let Ok(mut services) = serde_json::from_str::<Vec<Service>>(&json) else {
            continue;
        };
        let mut changed = false;
        for s in services.iter_mut() {
            if let Some(from) = seeded
                .service(&s.code)
                .filter(|f| s.formats.is_empty() && !f.formats.is_empty())
            {
                s.formats = from.formats.clone();
                changed = true;
            }
        }
        for item in services.iter_mut().flat_map(|s| s.items.iter_mut()) {
            let Some((_, from)) = seeded.item(&item.code) else {
                continue;
            };
            if from.name != item.name {
                continue;
            }
            if item.support_kind.is_none() && from.support_kind.is_some() {
                item.support_kind = from.support_kind.clone();
                changed = true;
            }
            if item.limits.is_none() && from.limits.is_some() {
                item.limits = from.limits.clone();
                changed = true;
            }
        }
        if changed {
            conn.execute(
                "UPDATE catalog_version SET services_json = ?1 WHERE id = ?2",
                params![to_json(&services), id],
            )?;
        }
    }
    Ok(())
}

fn to_json(services: &[Service]) -> String {
    serde_json::to_string(services).expect("catalog serialises")
}

pub fn list_versions(conn: &Db) -> Result<Vec<CatalogVersionSummary>> {
    let rows = conn.query_map(
        "SELECT id, effective_from, title, used_since FROM catalog_version ORDER BY effective_from",
        [],
        |r| {
            Ok(CatalogVersionSummary {
                id: r.get(0)?,
                effective_from: date_col(r, 1)?.unwrap_or_default(),
                title: r.get(2)?,
                used_since: date_col(r, 3)?,
            })
        },
    )?;
    Ok(rows)
}

pub fn get_version(conn: &Db, id: i64) -> Result<ServiceCatalog> {
    let row = conn
        .query_opt(
            &format!("SELECT {COLUMNS} FROM catalog_version WHERE id = ?1"),
            [id],
            from_row,
        )?
        .ok_or_else(|| CoreError::not_found(format!("Версия каталога услуг № {id} не найдена")))?;
    parse(row)
}

/// The version in force on `date`: the latest one that took effect on or before it.
pub fn version_for(conn: &Db, date: NaiveDate) -> Result<ServiceCatalog> {
    let row = conn
        .query_opt(
            &format!(
                "SELECT {COLUMNS} FROM catalog_version WHERE effective_from <= ?1 ORDER BY effective_from DESC LIMIT 1"
            ),
            [iso(date)],
            from_row,
        )?
        .ok_or_else(|| {
            CoreError::not_found(format!(
                "На {} не действует ни одна версия каталога услуг. Проверьте дату или добавьте версию каталога.",
                date.format("%d.%m.%Y")
            ))
        })?;
    parse(row)
}

/// Creates a new version taking effect on `effective_from` as a copy of version `from_id`, for
/// the head to edit. Only a future date is accepted: the terms in force today never change.
pub fn create_version(
    conn: &mut Db,
    ctx: &Ctx,
    from_id: i64,
    effective_from: NaiveDate,
    title: &str,
) -> Result<ServiceCatalog> {
    ctx.require(Right::Catalog)?;
    let today = ctx.now.date();
    if effective_from <= today {
        return Err(CoreError::field(
            "effective_from",
            format!(
                "Дата вступления в силу {}: новая версия каталога может вступить в силу только с будущей даты",
                effective_from.format("%d.%m.%Y")
            ),
        ));
    }
    let tx = conn.write(ctx, Right::Catalog)?;
    let from = get_version(&tx, from_id)?;
    if list_versions(&tx)?.iter().any(|v| v.effective_from == effective_from) {
        return Err(CoreError {
            code: ErrorCode::Duplicate,
            message: format!(
                "Версия каталога с датой {} уже есть; измените её вместо новой",
                effective_from.format("%d.%m.%Y")
            ),
            field: Some("effective_from".into()),
        });
    }
    let title = if title.trim().is_empty() {
        from.title.clone()
    } else {
        title.trim().to_owned()
    };
    let id: i64 = tx.query_row(
        "INSERT INTO catalog_version (effective_from, title, services_json, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id",
        params![iso(effective_from), title, to_json(&from.services), ctx.stamp()], |r| r.get(0))?;
    let created = get_version(&tx, id)?;
    audit::record(
        &tx,
        ctx,
        "catalog_version",
        created.id,
        AuditAction::Create,
        None,
        Some(&created),
    )?;
    tx.commit()?;
    Ok(created)
}

/// Replaces the services of a version that is not yet in force or not yet used by any agreement.
pub fn update_version(conn: &mut Db, ctx: &Ctx, id: i64, title: &str, services: &[Service]) -> Result<ServiceCatalog> {
    ctx.require(Right::Catalog)?;
    let problems = validate(services);
    if let Some(first) = problems.first() {
        return Err(CoreError::field("services", first.clone()));
    }
    let tx = conn.write(ctx, Right::Catalog)?;
    let before = get_version(&tx, id)?;
    if !before.editable(ctx.now.date()) {
        return Err(CoreError::new(
            ErrorCode::Rule,
            format!(
                "Версия каталога от {} уже действует и применена в соглашениях с {}: её условия изменить нельзя. \
                 Создайте новую версию с будущей даты.",
                before.effective_from.format("%d.%m.%Y"),
                before
                    .used_since
                    .map(|d| d.format("%d.%m.%Y").to_string())
                    .unwrap_or_default()
            ),
        ));
    }
    let title = if title.trim().is_empty() {
        before.title.clone()
    } else {
        title.trim().to_owned()
    };
    tx.execute(
        "UPDATE catalog_version SET title = ?2, services_json = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, title, to_json(services), ctx.stamp()],
    )?;
    let after = get_version(&tx, id)?;
    audit::record(
        &tx,
        ctx,
        "catalog_version",
        id,
        AuditAction::Update,
        Some(&before),
        Some(&after),
    )?;
    tx.commit()?;
    Ok(after)
}

/// Freezes a version: called by the agreement module, inside its transaction, when an agreement
/// is concluded under it. Keeps the earliest date.
pub fn mark_used(conn: &Db, id: i64, on: NaiveDate) -> Result<()> {
    conn.execute(
        "UPDATE catalog_version SET used_since = ?2 WHERE id = ?1 AND (used_since IS NULL OR used_since > ?2)",
        params![id, iso(on)],
    )?;
    Ok(())
}
