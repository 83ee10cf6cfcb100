//! SQL of the SME registry: one transaction per change, each with its audit entry.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, Transaction};

use super::{validate, ExportExperience, Sme, SmeCategory, SmeInput, SmeKind};
use crate::audit::{self, AuditAction, Ctx};
use crate::error::{CoreError, ErrorCode, Result};

pub(super) const COLUMNS: &str = "id, kind, full_name, short_name, last_name, first_name, patronymic, inn, ogrn, kpp, category, \
    registry_included_on, region_code, legal_address, okved_main, okved_extra, products, hs_codes, target_countries, \
    export_experience, head_position, head_name, contact_person, phone, email, pd_consent_on, notes, created_at, updated_at";

fn date(r: &Row, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let s: Option<String> = r.get(i)?;
    Ok(s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()))
}

pub(super) fn from_row(r: &Row) -> rusqlite::Result<Sme> {
    let kind: String = r.get(1)?;
    let category: Option<String> = r.get(10)?;
    let experience: String = r.get(19)?;
    Ok(Sme {
        id: r.get(0)?,
        input: SmeInput {
            kind: SmeKind::parse(&kind).unwrap_or(SmeKind::LegalEntity),
            full_name: r.get(2)?,
            short_name: r.get(3)?,
            last_name: r.get(4)?,
            first_name: r.get(5)?,
            patronymic: r.get(6)?,
            inn: r.get(7)?,
            ogrn: r.get(8)?,
            kpp: r.get(9)?,
            category: category.as_deref().and_then(SmeCategory::parse),
            registry_included_on: date(r, 11)?,
            region_code: r.get(12)?,
            legal_address: r.get(13)?,
            okved_main: r.get(14)?,
            okved_extra: r.get(15)?,
            products: r.get(16)?,
            hs_codes: r.get(17)?,
            target_countries: r.get(18)?,
            export_experience: ExportExperience::parse(&experience).unwrap_or_default(),
            head_position: r.get(20)?,
            head_name: r.get(21)?,
            contact_person: r.get(22)?,
            phone: r.get(23)?,
            email: r.get(24)?,
            pd_consent_on: date(r, 25)?,
            notes: r.get(26)?,
        },
        created_at: r.get(27)?,
        updated_at: r.get(28)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Sme> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM sme WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| CoreError::not_found(format!("СМСП № {id} не найден в реестре")))
}

pub fn get_by_inn(conn: &Connection, inn: &str) -> Result<Option<Sme>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM sme WHERE inn = ?1"),
            [inn.trim()],
            from_row,
        )
        .optional()?)
}

fn check(conn: &Connection, id: Option<i64>, input: &SmeInput, today: NaiveDate) -> Result<()> {
    if let Some(e) = validate(input, today).into_iter().next() {
        return Err(e);
    }
    if let Some(existing) = get_by_inn(conn, &input.inn)?.filter(|s| Some(s.id) != id) {
        return Err(CoreError {
            code: ErrorCode::Duplicate,
            message: format!(
                "ИНН {}: уже есть в реестре — «{}» (запись № {}). Откройте существующую запись вместо новой.",
                existing.input.inn, existing.input.full_name, existing.id
            ),
            field: Some("inn".into()),
        });
    }
    Ok(())
}

/// What the list's text search looks in, folded in Rust (Unicode-aware, unlike SQLite's lower()).
fn search_text(s: &SmeInput) -> String {
    [
        &s.full_name,
        &s.short_name,
        &s.inn,
        &s.ogrn,
        &s.contact_person,
        &s.phone,
        &s.email,
        &s.head_name,
    ]
    .iter()
    .filter(|v| !v.is_empty())
    .map(|v| super::search::fold(v))
    .collect::<Vec<_>>()
    .join(" | ")
}

fn write_params(s: &SmeInput) -> [Box<dyn rusqlite::ToSql + '_>; 27] {
    let d = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    [
        Box::new(s.kind.as_str()),
        Box::new(&s.full_name),
        Box::new(&s.short_name),
        Box::new(&s.last_name),
        Box::new(&s.first_name),
        Box::new(&s.patronymic),
        Box::new(&s.inn),
        Box::new(&s.ogrn),
        Box::new(&s.kpp),
        Box::new(s.category.map(SmeCategory::as_str)),
        Box::new(d(s.registry_included_on)),
        Box::new(&s.region_code),
        Box::new(&s.legal_address),
        Box::new(&s.okved_main),
        Box::new(&s.okved_extra),
        Box::new(&s.products),
        Box::new(&s.hs_codes),
        Box::new(&s.target_countries),
        Box::new(s.export_experience.as_str()),
        Box::new(&s.head_position),
        Box::new(&s.head_name),
        Box::new(&s.contact_person),
        Box::new(&s.phone),
        Box::new(&s.email),
        Box::new(d(s.pd_consent_on)),
        Box::new(&s.notes),
        Box::new(search_text(s)),
    ]
}

/// Adds an SME after validating every field and the INN's uniqueness; one transaction with its audit entry.
pub fn add(conn: &mut Connection, ctx: &Ctx, input: &SmeInput) -> Result<Sme> {
    let input = input.trimmed();
    let tx = crate::db::write(conn)?;
    check(&tx, None, &input, ctx.now.date())?;
    let sme = insert(&tx, ctx, &input)?;
    tx.commit()?;
    Ok(sme)
}

/// Writes one already validated, trimmed SME and its audit entry inside the caller's transaction.
/// The one place that inserts into `sme`: `add` and the table import both come through here.
pub(super) fn insert(tx: &Transaction, ctx: &Ctx, input: &SmeInput) -> Result<Sme> {
    let stamp = ctx.stamp();
    let mut values: Vec<Box<dyn rusqlite::ToSql>> = write_params(input).into_iter().collect();
    values.push(Box::new(stamp.clone()));
    values.push(Box::new(stamp));
    tx.prepare_cached(
        "INSERT INTO sme (kind, full_name, short_name, last_name, first_name, patronymic, inn, ogrn, kpp, category,
         registry_included_on, region_code, legal_address, okved_main, okved_extra, products, hs_codes, target_countries,
         export_experience, head_position, head_name, contact_person, phone, email, pd_consent_on, notes, search_text,
         created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23,
         ?24, ?25, ?26, ?27, ?28, ?29)",
    )?
    .execute(rusqlite::params_from_iter(values.iter().map(|b| b.as_ref())))?;
    let sme = get(tx, tx.last_insert_rowid())?;
    audit::record(tx, ctx, "sme", sme.id, AuditAction::Create, None, Some(&sme))?;
    Ok(sme)
}

/// Changes an SME; the same rules as `add`, and the old values go to the audit log.
pub fn update(conn: &mut Connection, ctx: &Ctx, id: i64, input: &SmeInput) -> Result<Sme> {
    let input = input.trimmed();
    let tx = crate::db::write(conn)?;
    let old = get(&tx, id)?;
    check(&tx, Some(id), &input, ctx.now.date())?;
    if old.input == input {
        return Ok(old);
    }
    let mut values: Vec<Box<dyn rusqlite::ToSql>> = write_params(&input).into_iter().collect();
    values.push(Box::new(ctx.stamp()));
    values.push(Box::new(id));
    tx.execute(
        "UPDATE sme SET kind = ?1, full_name = ?2, short_name = ?3, last_name = ?4, first_name = ?5, patronymic = ?6,
         inn = ?7, ogrn = ?8, kpp = ?9, category = ?10, registry_included_on = ?11, region_code = ?12, legal_address = ?13,
         okved_main = ?14, okved_extra = ?15, products = ?16, hs_codes = ?17, target_countries = ?18,
         export_experience = ?19, head_position = ?20, head_name = ?21, contact_person = ?22, phone = ?23, email = ?24,
         pd_consent_on = ?25, notes = ?26, search_text = ?27, updated_at = ?28 WHERE id = ?29",
        rusqlite::params_from_iter(values.iter().map(|b| b.as_ref())),
    )?;
    let new = get(&tx, id)?;
    audit::record(&tx, ctx, "sme", id, AuditAction::Update, Some(&old), Some(&new))?;
    tx.commit()?;
    Ok(new)
}
