//! SQL of the foreign buyers: writes with their linked SMEs in one transaction with an audit entry, the lower-cased search text, the filtered list and the card with its SMEs and contracts.

use crate::db::{Db, Row};
use crate::params;
use crate::sme::shown_name_sql;
use crate::staff::Right;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{normalize_hs_codes, validate, BuyerSource, ForeignBuyer, ForeignBuyerInput};
use crate::audit::{self, AuditAction, Ctx};
use crate::error::{CoreError, ErrorCode, Result};
use crate::export_contract::{self, ExportContract, ExportContractQuery};
use crate::oksm;
use crate::search;

/// Filter of the buyers list; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BuyerQuery {
    /// Words of the name, city, contacts, products, codes or notes.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub country_code: String,
    /// ТН ВЭД code prefix: "09" finds 0901 and 090121.
    #[serde(default)]
    pub hs_prefix: String,
    #[serde(default)]
    pub sme_id: Option<i64>,
}

/// An SME linked to a buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BuyerSme {
    pub sme_id: i64,
    pub name: String,
    pub inn: String,
}

/// The buyer's card: the record, its SMEs and its export contracts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BuyerCard {
    pub buyer: ForeignBuyer,
    pub smes: Vec<BuyerSme>,
    pub contracts: Vec<ExportContract>,
    /// The number of the agreement the buyer was found under.
    pub source_agreement_number: Option<String>,
}

const COLUMNS: &str = "b.id, b.name, b.country_code, b.city, b.address, b.contact_person, b.phone, b.email,
    b.website, b.products, b.hs_codes, b.source_kind, b.source_agreement_id, b.source_text, b.notes,
    b.created_at, b.updated_at, (SELECT count(*) FROM export_contract c WHERE c.buyer_id = b.id AND c.cancelled_at IS NULL)";

fn from_row(r: &Row) -> Result<ForeignBuyer> {
    let country_code: String = r.get(2)?;
    let source: String = r.get(11)?;
    Ok(ForeignBuyer {
        id: r.get(0)?,
        country_name: oksm::country_name(&country_code),
        input: ForeignBuyerInput {
            name: r.get(1)?,
            country_code,
            city: r.get(3)?,
            address: r.get(4)?,
            contact_person: r.get(5)?,
            phone: r.get(6)?,
            email: r.get(7)?,
            website: r.get(8)?,
            products: r.get(9)?,
            hs_codes: r.get(10)?,
            source_kind: BuyerSource::parse(&source).unwrap_or(BuyerSource::Other),
            source_agreement_id: r.get(12)?,
            source_text: r.get(13)?,
            notes: r.get(14)?,
            sme_ids: Vec::new(),
        },
        created_at: r.get(15)?,
        updated_at: r.get(16)?,
        contract_count: r.get(17)?,
    })
}

fn sme_ids(conn: &Db, id: i64) -> Result<Vec<i64>> {
    let rows = conn.query_map(
        "SELECT sme_id FROM foreign_buyer_sme WHERE buyer_id = ?1 ORDER BY sme_id",
        [id],
        |r| r.get(0),
    )?;
    Ok(rows)
}

pub fn get(conn: &Db, id: i64) -> Result<ForeignBuyer> {
    let mut b = conn
        .query_opt(
            &format!("SELECT {COLUMNS} FROM foreign_buyer b WHERE b.id = ?1"),
            [id],
            from_row,
        )?
        .ok_or_else(|| CoreError::not_found(format!("Иностранный покупатель № {id} не найден")))?;
    b.input.sme_ids = sme_ids(conn, id)?;
    Ok(b)
}

/// Buyers matching `q`, by name. Every word of `text` must occur, in any case, in the search text;
/// `hs_prefix` matches the start of any of the buyer's codes, literally.
pub fn list(conn: &Db, q: &BuyerQuery) -> Result<Vec<ForeignBuyer>> {
    use crate::db::Value;
    let country = q.country_code.trim();
    let country = if country.is_empty() {
        String::new()
    } else {
        oksm::country(country).map_or_else(|| country.to_owned(), |c| c.code.clone())
    };
    let prefix = q.hs_prefix.trim();
    let words = search::words(&q.text);
    let text_conds: String = (0..words.len())
        .map(|i| format!(" AND b.search_text LIKE ?{} ESCAPE '\\'", i + 4))
        .collect();
    let prefix = if prefix.is_empty() {
        String::new()
    } else {
        format!("%, {}", search::prefix_pattern(prefix))
    };
    let mut args = vec![
        Value::Text(country.into()),
        Value::Text(prefix.into()),
        q.sme_id.map_or(Value::Null, Value::Integer),
    ];
    args.extend(words.iter().map(|w| Value::Text(search::contains_pattern(w).into())));
    let rows = conn.query_map(&format!(
        "SELECT {COLUMNS} FROM foreign_buyer b
         WHERE (?1 = '' OR b.country_code = ?1)
           AND (?2 = '' OR (', ' || b.hs_codes) LIKE ?2 ESCAPE '\\')
           AND (?3 IS NULL OR EXISTS (SELECT 1 FROM foreign_buyer_sme l WHERE l.buyer_id = b.id AND l.sme_id = ?3)){text_conds}
         ORDER BY b.id"
    ), args, from_row)?;
    let mut rows = rows;
    // By name in any case, sorted here: the engines' own case rules differ.
    rows.sort_by_cached_key(|b| search::fold(&b.input.name));
    rows.into_iter()
        .map(|mut b| {
            b.input.sme_ids = sme_ids(conn, b.id)?;
            Ok(b)
        })
        .collect()
}

fn search_text(i: &ForeignBuyerInput) -> String {
    let text = [
        i.name.as_str(),
        &oksm::country_name(&i.country_code),
        &i.city,
        &i.address,
        &i.contact_person,
        &i.phone,
        &i.email,
        &i.website,
        &i.products,
        &i.hs_codes,
        &i.source_text,
        &i.notes,
    ]
    .join(" ");
    search::fold(&text)
}

/// Folds every buyer's search text again (the migration that made search fold «ё» too).
pub fn refold_search_text(conn: &Db) -> Result<()> {
    let ids: Vec<i64> = conn.query_map("SELECT id FROM foreign_buyer", [], |r| r.get(0))?;
    for id in ids {
        let b = get(conn, id)?;
        conn.execute(
            "UPDATE foreign_buyer SET search_text = ?2 WHERE id = ?1",
            params![id, search_text(&b.input)],
        )?;
    }
    Ok(())
}

fn prepared(conn: &Db, input: &ForeignBuyerInput) -> Result<ForeignBuyerInput> {
    if let Some(e) = validate(input).into_iter().next() {
        return Err(e);
    }
    for sme in &input.sme_ids {
        let found: Option<i64> = conn.query_opt("SELECT id FROM sme WHERE id = ?1", [sme], |r| r.get(0))?;
        if found.is_none() {
            return Err(CoreError::field("sme_ids", format!("СМСП № {sme} не найден в реестре")));
        }
    }
    if let Some(a) = input.source_agreement_id {
        let found: Option<i64> = conn.query_opt("SELECT id FROM agreement WHERE id = ?1", [a], |r| r.get(0))?;
        if found.is_none() {
            return Err(CoreError::field(
                "source_agreement_id",
                format!("Соглашение № {a} не найдено"),
            ));
        }
    }
    let t = |s: &str| s.trim().to_owned();
    let mut smes = input.sme_ids.clone();
    smes.sort_unstable();
    smes.dedup();
    Ok(ForeignBuyerInput {
        name: t(&input.name),
        country_code: oksm::country(&input.country_code)
            .map(|c| c.code.clone())
            .unwrap_or_default(),
        city: t(&input.city),
        address: t(&input.address),
        contact_person: t(&input.contact_person),
        phone: t(&input.phone),
        email: t(&input.email),
        website: t(&input.website),
        products: t(&input.products),
        hs_codes: normalize_hs_codes(&input.hs_codes).unwrap_or_default(),
        source_kind: input.source_kind,
        source_agreement_id: if input.source_kind == BuyerSource::Service {
            input.source_agreement_id
        } else {
            None
        },
        source_text: t(&input.source_text),
        notes: t(&input.notes),
        sme_ids: smes,
    })
}

/// The buyer of the same name (case aside) in the same country. Compared in Rust: SQLite's
/// lower() leaves Cyrillic as it is.
fn same_name(conn: &Db, name: &str, country_code: &str, except: Option<i64>) -> Result<Option<i64>> {
    let wanted = name.trim().to_lowercase();
    let rows = conn.query_map(
        "SELECT id, name FROM foreign_buyer WHERE country_code = ?1 AND id IS DISTINCT FROM ?2",
        params![country_code, except],
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
    )?;
    for row in rows {
        let (id, n) = row;
        if n.to_lowercase() == wanted {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

fn duplicate(conn: &Db, i: &ForeignBuyerInput, id: Option<i64>) -> Result<()> {
    match same_name(conn, &i.name, &i.country_code, id)? {
        Some(o) => Err(CoreError {
            code: ErrorCode::Duplicate,
            message: format!(
                "Покупатель «{}» ({}) уже есть в базе (№ {o}); откройте его карточку",
                i.name,
                oksm::country_name(&i.country_code)
            ),
            field: Some("name".to_owned()),
        }),
        None => Ok(()),
    }
}

fn write_smes(conn: &Db, id: i64, smes: &[i64]) -> Result<()> {
    conn.execute("DELETE FROM foreign_buyer_sme WHERE buyer_id = ?1", [id])?;
    for s in smes {
        link_sme(conn, id, *s)?;
    }
    Ok(())
}

/// Links an SME to a buyer (an export contract with it links them too); repeated links are no-ops.
pub(crate) fn link_sme(conn: &Db, buyer_id: i64, sme_id: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO foreign_buyer_sme (buyer_id, sme_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        params![buyer_id, sme_id],
    )?;
    Ok(())
}

fn insert(conn: &Db, ctx: &Ctx, i: &ForeignBuyerInput) -> Result<ForeignBuyer> {
    duplicate(conn, i, None)?;
    let id: i64 = conn.query_row(
        "INSERT INTO foreign_buyer (name, country_code, city, address, contact_person, phone, email, website, products,
             hs_codes, source_kind, source_agreement_id, source_text, notes, search_text, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16) RETURNING id",
        params![
            i.name,
            i.country_code,
            i.city,
            i.address,
            i.contact_person,
            i.phone,
            i.email,
            i.website,
            i.products,
            i.hs_codes,
            i.source_kind.as_str(),
            i.source_agreement_id,
            i.source_text,
            i.notes,
            search_text(i),
            ctx.stamp()
        ],
        |r| r.get(0),
    )?;
    write_smes(conn, id, &i.sme_ids)?;
    let b = get(conn, id)?;
    audit::record(conn, ctx, "foreign_buyer", id, AuditAction::Create, None, Some(&b))?;
    Ok(b)
}

pub fn add(conn: &mut Db, ctx: &Ctx, input: &ForeignBuyerInput) -> Result<ForeignBuyer> {
    let tx = conn.write(ctx, Right::Registry)?;
    let i = prepared(&tx, input)?;
    let b = insert(&tx, ctx, &i)?;
    tx.commit()?;
    Ok(b)
}

/// A buyer made from an export contract's counterparty, inside the contract's transaction; an
/// existing buyer of the same name and country is reused.
pub(crate) fn insert_from_counterparty(
    conn: &Db,
    ctx: &Ctx,
    name: &str,
    country_code: &str,
    sme_id: i64,
    agreement_id: Option<i64>,
) -> Result<i64> {
    let code = oksm::country(country_code).map(|c| c.code.clone()).unwrap_or_default();
    if let Some(id) = same_name(conn, name, &code, None)? {
        return Ok(id);
    }
    let input = ForeignBuyerInput {
        name: name.to_owned(),
        country_code: code,
        city: String::new(),
        address: String::new(),
        contact_person: String::new(),
        phone: String::new(),
        email: String::new(),
        website: String::new(),
        products: String::new(),
        hs_codes: String::new(),
        source_kind: if agreement_id.is_some() {
            BuyerSource::Service
        } else {
            BuyerSource::Other
        },
        source_agreement_id: agreement_id,
        source_text: "из сообщения СМСП об экспортном контракте".to_owned(),
        notes: String::new(),
        sme_ids: vec![sme_id],
    };
    Ok(insert(conn, ctx, &input)?.id)
}

pub fn update(conn: &mut Db, ctx: &Ctx, id: i64, input: &ForeignBuyerInput) -> Result<ForeignBuyer> {
    let tx = conn.write(ctx, Right::Registry)?;
    let before = get(&tx, id)?;
    let i = prepared(&tx, input)?;
    duplicate(&tx, &i, Some(id))?;
    tx.execute(
        "UPDATE foreign_buyer SET name = ?2, country_code = ?3, city = ?4, address = ?5, contact_person = ?6,
             phone = ?7, email = ?8, website = ?9, products = ?10, hs_codes = ?11, source_kind = ?12,
             source_agreement_id = ?13, source_text = ?14, notes = ?15, search_text = ?16, updated_at = ?17
         WHERE id = ?1",
        params![
            id,
            i.name,
            i.country_code,
            i.city,
            i.address,
            i.contact_person,
            i.phone,
            i.email,
            i.website,
            i.products,
            i.hs_codes,
            i.source_kind.as_str(),
            i.source_agreement_id,
            i.source_text,
            i.notes,
            search_text(&i),
            ctx.stamp()
        ],
    )?;
    // SMEs with an export contract with this buyer stay linked.
    let mut smes = i.sme_ids.clone();
    let contracted: Vec<i64> = tx.query_map(
        "SELECT DISTINCT sme_id FROM export_contract WHERE buyer_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    smes.extend(contracted);
    smes.sort_unstable();
    smes.dedup();
    write_smes(&tx, id, &smes)?;
    let after = get(&tx, id)?;
    audit::record(
        &tx,
        ctx,
        "foreign_buyer",
        id,
        AuditAction::Update,
        Some(&before),
        Some(&after),
    )?;
    tx.commit()?;
    Ok(after)
}

/// Deletes a buyer no export contract names.
pub fn delete(conn: &mut Db, ctx: &Ctx, id: i64) -> Result<()> {
    let tx = conn.write(ctx, Right::Registry)?;
    let before = get(&tx, id)?;
    if before.contract_count > 0 {
        return Err(CoreError::new(
            ErrorCode::Rule,
            format!(
                "Покупателя «{}» нельзя удалить: на него ссылаются экспортные контракты ({})",
                before.input.name, before.contract_count
            ),
        ));
    }
    tx.execute("DELETE FROM foreign_buyer WHERE id = ?1", [id])?;
    audit::record(&tx, ctx, "foreign_buyer", id, AuditAction::Delete, Some(&before), None)?;
    tx.commit()?;
    Ok(())
}

pub fn card(conn: &Db, id: i64) -> Result<BuyerCard> {
    let buyer = get(conn, id)?;
    let mut smes = Vec::new();
    for s in &buyer.input.sme_ids {
        let (name, inn) = conn.query_row(
            concat!("SELECT ", shown_name_sql!(), ", inn FROM sme WHERE id = ?1"),
            [s],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        smes.push(BuyerSme { sme_id: *s, name, inn });
    }
    let contracts = export_contract::list(
        conn,
        &ExportContractQuery {
            buyer_id: Some(id),
            ..Default::default()
        },
    )?;
    let source_agreement_number = match buyer.input.source_agreement_id {
        Some(a) => conn.query_opt("SELECT number FROM agreement WHERE id = ?1", [a], |r| r.get(0))?,
        None => None,
    };
    Ok(BuyerCard {
        buyer,
        smes,
        contracts,
        source_agreement_number,
    })
}
