//! What the catalog screen needs beyond storage: a version with whether it may still be edited, and the head's edit of one item's terms typed as text (percent, roubles) checked with Russian messages per field.

use crate::db::Db;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{get_version, update_version, ServiceCatalog};
use crate::audit::Ctx;
use crate::error::{CoreError, Problems, Result};
use crate::money;

/// A version as the catalog screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CatalogView {
    pub catalog: ServiceCatalog,
    /// The head may still change it: not yet in force, or no agreement was concluded under it.
    pub editable: bool,
    /// It is the version in force today.
    pub in_force: bool,
}

/// The version `id` as of `today`.
pub fn view(conn: &Db, id: i64, today: NaiveDate) -> Result<CatalogView> {
    let catalog = get_version(conn, id)?;
    let in_force = super::version_for(conn, today).is_ok_and(|c| c.id == id);
    Ok(CatalogView {
        editable: catalog.editable(today),
        in_force,
        catalog,
    })
}

/// The terms of one item as the head types them on the catalog screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ItemTermsEdit {
    pub name: String,
    /// Minimum SME share in percent, e.g. "20" or "20,5"; "0" or empty for a free item.
    pub rate_percent: String,
    /// Cap per SME in roubles; empty for no cap.
    pub cap_per_sme: String,
    pub declaration_required: bool,
    pub min_participants: Option<u32>,
    /// The paragraph of the regulation the terms come from.
    pub source: String,
}

/// "20" → 0.20; refuses what is not a percentage from 0 to 100 (exclusive) with at most 2 decimals.
fn parse_percent(text: &str) -> std::result::Result<Decimal, String> {
    let cleaned = text.trim().trim_end_matches('%').trim().replace(',', ".");
    if cleaned.is_empty() {
        return Ok(Decimal::ZERO);
    }
    let p: Decimal = cleaned
        .parse()
        .map_err(|_| format!("«{}» — не число; укажите процент, например 20", text.trim()))?;
    if p.is_sign_negative() || p >= Decimal::ONE_HUNDRED {
        return Err(format!("{} % — укажите от 0 до 100 % (не включая 100 %)", text.trim()));
    }
    if p.normalize().scale() > 2 {
        return Err("укажите процент не более чем с двумя знаками после запятой".into());
    }
    Ok((p / Decimal::ONE_HUNDRED).normalize())
}

/// The parsed terms (rate as a fraction, cap) and every problem, each under its field.
fn parse_terms(edit: &ItemTermsEdit) -> (Problems, Option<(Decimal, Option<Decimal>)>) {
    let mut problems = Problems(crate::fields::check_record(edit));
    if edit.name.trim().is_empty() {
        problems.push("name", "Наименование: укажите, как услуга называется в регламенте");
    }
    if edit.source.trim().is_empty() {
        problems.push(
            "source",
            "Пункт регламента: укажите, откуда взяты условия, например «п. 4.2 разд. 3»",
        );
    }
    let rate = parse_percent(&edit.rate_percent);
    problems.check("rate_percent", "Доля СМСП", rate.clone());
    let cap = if edit.cap_per_sme.trim().is_empty() {
        Ok(None)
    } else {
        money::parse_rub(&edit.cap_per_sme).and_then(|c| {
            if c.is_zero() {
                Err("лимит должен быть больше нуля; оставьте поле пустым, если лимита нет".into())
            } else {
                Ok(Some(c))
            }
        })
    };
    problems.check("cap_per_sme", "Лимит на 1 СМСП", cap.clone());
    if edit.min_participants == Some(0) {
        problems.push(
            "min_participants",
            "Минимум участников: укажите число больше нуля или оставьте поле пустым",
        );
    }
    let parsed = rate.ok().zip(cap.ok());
    (problems, parsed)
}

/// Every problem of the typed terms (empty when they can be saved), for checking as the head types.
pub fn validate_item_terms(edit: &ItemTermsEdit) -> Vec<CoreError> {
    parse_terms(edit).0 .0
}

/// Replaces the terms of item `item_code` of version `id` (one transaction with its audit entry).
pub fn edit_item(conn: &mut Db, ctx: &Ctx, id: i64, item_code: &str, edit: &ItemTermsEdit) -> Result<ServiceCatalog> {
    let (problems, parsed) = parse_terms(edit);
    problems.into_result()?;
    let (rate, cap) = parsed.expect("no problems means both parsed");
    let mut catalog = get_version(conn, id)?;
    let item = catalog
        .services
        .iter_mut()
        .flat_map(|s| s.items.iter_mut())
        .find(|i| i.code == item_code)
        .ok_or_else(|| CoreError::not_found(format!("В версии каталога № {id} нет услуги с кодом {item_code}")))?;
    item.name = edit.name.trim().to_owned();
    item.min_sme_rate = rate;
    item.cap_per_sme = cap;
    item.declaration_required = edit.declaration_required;
    item.min_participants = edit.min_participants;
    item.source = edit.source.trim().to_owned();
    let title = catalog.title.clone();
    update_version(conn, ctx, id, &title, &catalog.services)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{create_version, list_versions, mark_used};
    use crate::error::ErrorCode;
    use std::str::FromStr;

    fn ctx() -> Ctx {
        Ctx::new(
            "Руководитель",
            NaiveDate::from_ymd_opt(2025, 11, 20)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        )
    }

    fn terms(rate: &str, cap: &str) -> ItemTermsEdit {
        ItemTermsEdit {
            name: "Приведение продукции в соответствие".into(),
            rate_percent: rate.into(),
            cap_per_sme: cap.into(),
            declaration_required: true,
            min_participants: None,
            source: "п. 4.2 разд. 3".into(),
        }
    }

    #[test]
    fn edits_next_years_version_and_keeps_the_one_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open_in(dir.path()).unwrap();
        let ctx = ctx();
        crate::centre::set_field(&mut conn, &ctx, "head_name", "Руководитель").unwrap();
        let today = ctx.now.date();
        let current = list_versions(&conn).unwrap()[0].id;
        mark_used(&conn, current, NaiveDate::from_ymd_opt(2025, 2, 1).unwrap()).unwrap();
        let v = view(&conn, current, today).unwrap();
        assert!(v.in_force && !v.editable);
        let err = edit_item(&mut conn, &ctx, current, "4.2", &terms("25", "")).unwrap_err();
        assert_eq!(err.code, ErrorCode::Rule);

        let next = create_version(
            &mut conn,
            &ctx,
            current,
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            "",
        )
        .unwrap()
        .id;
        let v = view(&conn, next, today).unwrap();
        assert!(v.editable && !v.in_force);
        let after = edit_item(&mut conn, &ctx, next, "4.2", &terms("25,5 %", "1 200 000")).unwrap();
        let item = after.item("4.2").unwrap().1;
        assert_eq!(item.min_sme_rate, Decimal::from_str("0.255").unwrap());
        assert_eq!(item.cap_per_sme, Some(Decimal::from_str("1200000").unwrap()));
        let old = get_version(&conn, current).unwrap();
        assert_eq!(
            old.item("4.2").unwrap().1.min_sme_rate,
            Decimal::from_str("0.20").unwrap()
        );
    }

    #[test]
    fn reports_every_bad_field_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open_in(dir.path()).unwrap();
        let id = list_versions(&conn).unwrap()[0].id;
        let mut bad = terms("100", "0");
        bad.source = " ".into();
        let err = edit_item(&mut conn, &ctx(), id, "4.2", &bad).unwrap_err();
        assert_eq!(err.code, ErrorCode::Validation);
        let fields: Vec<Option<String>> = validate_item_terms(&bad).into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                Some("source".into()),
                Some("rate_percent".into()),
                Some("cap_per_sme".into())
            ]
        );
        assert!(edit_item(&mut conn, &ctx(), id, "9.9", &terms("20", "")).is_err());
    }

    #[test]
    fn only_the_head_changes_the_catalog() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open_in(dir.path()).unwrap();
        let head = ctx();
        let today = head.now.date();
        let current = list_versions(&conn).unwrap()[0].id;
        let next = create_version(&mut conn, &head, current, today + chrono::Days::new(40), "")
            .unwrap()
            .id;
        let specialist = Ctx::new("Петрова Анна Сергеевна", head.now).with_role(crate::staff::Role::Specialist);
        let before = get_version(&conn, next).unwrap();
        let err = edit_item(&mut conn, &specialist, next, "4.2", &terms("25", "")).unwrap_err();
        assert_eq!(err.code, ErrorCode::Forbidden);
        assert!(
            err.message.contains("изменять каталог услуг можно только руководителю"),
            "{}",
            err.message
        );
        assert!(err.message.contains("Ваша роль — специалист"), "{}", err.message);
        assert_eq!(get_version(&conn, next).unwrap(), before, "nothing changed");
        assert!(create_version(&mut conn, &specialist, current, today + chrono::Days::new(41), "").is_err());
        // The head's own edit goes through.
        edit_item(&mut conn, &head, next, "4.2", &terms("25", "")).unwrap();
    }
}
