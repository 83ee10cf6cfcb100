//! SQL of the SME registry: one transaction per change, each with its audit entry.

use crate::db::{Db, Row, ToSql, Value};
use crate::staff::Right;
use chrono::NaiveDate;

use super::{validate, ExportExperience, Sme, SmeCategory, SmeInput, SmeKind};
use crate::audit::{self, AuditAction, Ctx};
use crate::error::{CoreError, ErrorCode, Result};

pub(super) const COLUMNS: &str = "id, kind, full_name, short_name, last_name, first_name, patronymic, inn, ogrn, kpp, category, \
    registry_included_on, region_code, legal_address, okved_main, okved_extra, products, hs_codes, target_countries, \
    export_experience, head_position, head_name, contact_person, phone, email, pd_consent_on, notes, created_at, updated_at";

fn date(r: &Row, i: usize) -> Result<Option<NaiveDate>> {
    let s: Option<String> = r.get(i)?;
    Ok(s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()))
}

pub(super) fn from_row(r: &Row) -> Result<Sme> {
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

pub fn get(conn: &Db, id: i64) -> Result<Sme> {
    conn.query_opt(&format!("SELECT {COLUMNS} FROM sme WHERE id = ?1"), [id], from_row)?
        .ok_or_else(|| CoreError::not_found(format!("СМСП № {id} не найден в реестре")))
}

pub fn get_by_inn(conn: &Db, inn: &str) -> Result<Option<Sme>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM sme WHERE inn = ?1"),
        [inn.trim()],
        from_row,
    )
}

fn check(conn: &Db, id: Option<i64>, input: &SmeInput, today: NaiveDate) -> Result<()> {
    if let Some(e) = validate(input, today).into_iter().next() {
        return Err(e);
    }
    let bytes = search_text(input).len();
    if bytes > MAX_SEARCH_BYTES {
        return Err(CoreError::field(
            "full_name",
            format!(
                "Наименования и контакты вместе слишком длинные ({bytes} байт при допустимых {MAX_SEARCH_BYTES}): \
                 сократите полное наименование или контакты"
            ),
        ));
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

/// Bytes of a business's search text at most (the server's sort index holds its entries up to
/// 2 704 bytes, the sort name and the search text together): names in scripts of three or four
/// bytes a letter can pass the limits in letters and still not fit.
const MAX_SEARCH_BYTES: usize = 1_900;

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

fn write_params(s: &SmeInput) -> Vec<Value> {
    let d = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    let v = |x: &dyn ToSql| x.to_sql().into_owned();
    vec![
        v(&s.kind.as_str()),
        v(&&s.full_name),
        v(&&s.short_name),
        v(&&s.last_name),
        v(&&s.first_name),
        v(&&s.patronymic),
        v(&&s.inn),
        v(&&s.ogrn),
        v(&&s.kpp),
        v(&s.category.map(SmeCategory::as_str)),
        v(&d(s.registry_included_on)),
        v(&&s.region_code),
        v(&&s.legal_address),
        v(&&s.okved_main),
        v(&&s.okved_extra),
        v(&&s.products),
        v(&&s.hs_codes),
        v(&&s.target_countries),
        v(&s.export_experience.as_str()),
        v(&&s.head_position),
        v(&&s.head_name),
        v(&&s.contact_person),
        v(&&s.phone),
        v(&&s.email),
        v(&d(s.pd_consent_on)),
        v(&&s.notes),
        v(&search_text(s)),
    ]
}

/// Adds an SME after validating every field and the INN's uniqueness; one transaction with its audit entry.
pub fn add(conn: &mut Db, ctx: &Ctx, input: &SmeInput) -> Result<Sme> {
    let input = input.trimmed();
    let tx = conn.write(ctx, Right::Registry)?;
    check(&tx, None, &input, ctx.now.date())?;
    let sme = insert(&tx, ctx, &input)?;
    tx.commit()?;
    Ok(sme)
}

/// Writes one already validated, trimmed SME and its audit entry inside the caller's transaction.
/// The one place that inserts into `sme`: `add` and the table import both come through here.
pub(super) fn insert(tx: &Db, ctx: &Ctx, input: &SmeInput) -> Result<Sme> {
    let stamp = ctx.stamp();
    let mut values = write_params(input);
    values.push(Value::Text(stamp.clone().into()));
    values.push(Value::Text(stamp.into()));
    let id: i64 = tx.query_row(
        "INSERT INTO sme (kind, full_name, short_name, last_name, first_name, patronymic, inn, ogrn, kpp, category,
         registry_included_on, region_code, legal_address, okved_main, okved_extra, products, hs_codes, target_countries,
         export_experience, head_position, head_name, contact_person, phone, email, pd_consent_on, notes, search_text,
         created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23,
         ?24, ?25, ?26, ?27, ?28, ?29) RETURNING id",
        values,
        |r| r.get(0),
    )?;
    let sme = get(tx, id)?;
    audit::record(tx, ctx, "sme", sme.id, AuditAction::Create, None, Some(&sme))?;
    Ok(sme)
}

/// Writes the fields of an SME (already checked) with its search text, inside the caller's
/// transaction: `update` and the erasure of personal data come through here.
pub(super) fn rewrite(tx: &Db, ctx: &Ctx, id: i64, input: &SmeInput) -> Result<()> {
    let mut values = write_params(input);
    values.push(Value::Text(ctx.stamp().into()));
    values.push(Value::Integer(id));
    tx.execute(
        "UPDATE sme SET kind = ?1, full_name = ?2, short_name = ?3, last_name = ?4, first_name = ?5, patronymic = ?6,
         inn = ?7, ogrn = ?8, kpp = ?9, category = ?10, registry_included_on = ?11, region_code = ?12, legal_address = ?13,
         okved_main = ?14, okved_extra = ?15, products = ?16, hs_codes = ?17, target_countries = ?18,
         export_experience = ?19, head_position = ?20, head_name = ?21, contact_person = ?22, phone = ?23, email = ?24,
         pd_consent_on = ?25, notes = ?26, search_text = ?27, updated_at = ?28 WHERE id = ?29",
        values,
    )?;
    Ok(())
}

/// Changes an SME; the same rules as `add`, and the old values go to the audit log.
pub fn update(conn: &mut Db, ctx: &Ctx, id: i64, input: &SmeInput) -> Result<Sme> {
    let input = input.trimmed();
    let tx = conn.write(ctx, Right::Registry)?;
    let old = get(&tx, id)?;
    check(&tx, Some(id), &input, ctx.now.date())?;
    if old.input == input {
        return Ok(old);
    }
    rewrite(&tx, ctx, id, &input)?;
    let new = get(&tx, id)?;
    audit::record(&tx, ctx, "sme", id, AuditAction::Update, Some(&old), Some(&new))?;
    tx.commit()?;
    Ok(new)
}
