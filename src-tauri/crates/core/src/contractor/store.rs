//! SQL of contractors and their contracts; every write is one transaction with its audit entry.

use crate::db::{Db, Row};
use crate::params;
use crate::staff::Right;

use super::{
    validate, validate_contract, ContractInput, Contractor, ContractorContract, ContractorInput, ContractorKind,
};
use crate::audit::{self, AuditAction, Ctx};
use crate::error::{CoreError, ErrorCode, Result};
use crate::money;

const COLUMNS: &str = "id, kind, name, inn, accredited_rec, contact_person, phone, email, group_declaration_on, notes";

fn from_row(r: &Row) -> Result<Contractor> {
    let kind: String = r.get(1)?;
    Ok(Contractor {
        id: r.get(0)?,
        input: ContractorInput {
            kind: ContractorKind::parse(&kind).unwrap_or(ContractorKind::Organisation),
            name: r.get(2)?,
            inn: r.get(3)?,
            accredited_rec: r.get(4)?,
            contact_person: r.get(5)?,
            phone: r.get(6)?,
            email: r.get(7)?,
            group_declaration_on: r.get(8)?,
            notes: r.get(9)?,
        },
    })
}

pub fn get(conn: &Db, id: i64) -> Result<Contractor> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM contractor WHERE id = ?1"),
        [id],
        from_row,
    )?
    .ok_or_else(|| CoreError::not_found(format!("Исполнитель № {id} не найден")))
}

/// All contractors by name, in any case (sorted here: the engines' own case rules differ).
pub fn list(conn: &Db) -> Result<Vec<Contractor>> {
    let mut rows = conn.query_map(&format!("SELECT {COLUMNS} FROM contractor ORDER BY id"), [], from_row)?;
    rows.sort_by_cached_key(|c| crate::search::fold(&c.input.name));
    Ok(rows)
}

fn trimmed(input: &ContractorInput) -> ContractorInput {
    ContractorInput {
        name: input.name.trim().to_owned(),
        inn: input.inn.trim().to_owned(),
        contact_person: input.contact_person.trim().to_owned(),
        phone: input.phone.trim().to_owned(),
        email: input.email.trim().to_owned(),
        notes: input.notes.trim().to_owned(),
        ..input.clone()
    }
}

fn check(conn: &Db, input: &ContractorInput, id: Option<i64>) -> Result<()> {
    if let Some(e) = validate(input).into_iter().next() {
        return Err(e);
    }
    let other: Option<i64> = conn.query_opt(
        "SELECT id FROM contractor WHERE inn = ?1 AND id IS DISTINCT FROM ?2",
        params![input.inn, id],
        |r| r.get(0),
    )?;
    if let Some(other) = other {
        return Err(CoreError {
            code: ErrorCode::Duplicate,
            message: format!("Исполнитель с ИНН {} уже есть (№ {other})", input.inn),
            field: Some("inn".to_owned()),
        });
    }
    Ok(())
}

pub fn add(conn: &mut Db, ctx: &Ctx, input: &ContractorInput) -> Result<Contractor> {
    let input = trimmed(input);
    let tx = conn.write(ctx, Right::Applications)?;
    check(&tx, &input, None)?;
    let id: i64 = tx.query_row(
        "INSERT INTO contractor (kind, name, inn, accredited_rec, contact_person, phone, email, group_declaration_on,
                                 notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) RETURNING id",
        params![
            input.kind.as_str(),
            input.name,
            input.inn,
            input.accredited_rec,
            input.contact_person,
            input.phone,
            input.email,
            input.group_declaration_on,
            input.notes,
            ctx.stamp()
        ],
        |r| r.get(0),
    )?;
    let c = get(&tx, id)?;
    audit::record(&tx, ctx, "contractor", c.id, AuditAction::Create, None, Some(&c))?;
    tx.commit()?;
    Ok(c)
}

pub fn update(conn: &mut Db, ctx: &Ctx, id: i64, input: &ContractorInput) -> Result<Contractor> {
    let input = trimmed(input);
    let tx = conn.write(ctx, Right::Applications)?;
    let before = get(&tx, id)?;
    check(&tx, &input, Some(id))?;
    tx.execute(
        "UPDATE contractor SET kind = ?2, name = ?3, inn = ?4, accredited_rec = ?5, contact_person = ?6, phone = ?7,
                email = ?8, group_declaration_on = ?9, notes = ?10, updated_at = ?11 WHERE id = ?1",
        params![
            id,
            input.kind.as_str(),
            input.name,
            input.inn,
            input.accredited_rec,
            input.contact_person,
            input.phone,
            input.email,
            input.group_declaration_on,
            input.notes,
            ctx.stamp()
        ],
    )?;
    let after = get(&tx, id)?;
    audit::record(
        &tx,
        ctx,
        "contractor",
        id,
        AuditAction::Update,
        Some(&before),
        Some(&after),
    )?;
    tx.commit()?;
    Ok(after)
}

fn contract_row(r: &Row) -> Result<ContractorContract> {
    Ok(ContractorContract {
        id: r.get(0)?,
        input: ContractInput {
            contractor_id: r.get(1)?,
            number: r.get(2)?,
            date: r.get(3)?,
            amount: money::column(r, 4)?,
        },
    })
}

pub fn get_contract(conn: &Db, id: i64) -> Result<ContractorContract> {
    conn.query_opt(
        "SELECT id, contractor_id, number, date, amount FROM contractor_contract WHERE id = ?1",
        [id],
        contract_row,
    )?
    .ok_or_else(|| CoreError::not_found(format!("Договор с исполнителем № {id} не найден")))
}

/// The contracts of one contractor, oldest first.
pub fn contracts(conn: &Db, contractor_id: i64) -> Result<Vec<ContractorContract>> {
    let rows = conn.query_map(
        "SELECT id, contractor_id, number, date, amount FROM contractor_contract WHERE contractor_id = ?1
         ORDER BY date, id",
        [contractor_id],
        contract_row,
    )?;
    Ok(rows)
}

pub fn add_contract(conn: &mut Db, ctx: &Ctx, input: &ContractInput) -> Result<ContractorContract> {
    if let Some(e) = validate_contract(input).into_iter().next() {
        return Err(e);
    }
    let tx = conn.write(ctx, Right::Applications)?;
    get(&tx, input.contractor_id)?;
    let number = input.number.trim();
    let dup: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM contractor_contract WHERE contractor_id = ?1 AND number = ?2)",
        params![input.contractor_id, number],
        |r| r.get(0),
    )?;
    if dup {
        return Err(CoreError {
            code: ErrorCode::Duplicate,
            message: format!("Договор № {number} с этим исполнителем уже есть"),
            field: Some("number".to_owned()),
        });
    }
    let id: i64 = tx.query_row(
        "INSERT INTO contractor_contract (contractor_id, number, date, amount) VALUES (?1, ?2, ?3, ?4) RETURNING id",
        params![input.contractor_id, number, input.date, money::plain(input.amount)],
        |r| r.get(0),
    )?;
    let c = get_contract(&tx, id)?;
    audit::record(
        &tx,
        ctx,
        "contractor_contract",
        c.id,
        AuditAction::Create,
        None,
        Some(&c),
    )?;
    tx.commit()?;
    Ok(c)
}
