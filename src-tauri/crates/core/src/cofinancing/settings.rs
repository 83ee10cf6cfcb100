//! Storage of the cofinancing settings (the interpretations the centre may change), kept as one JSON object so new settings need no migration.

use crate::db::Db;
use crate::params;
use crate::staff::Right;
use rust_decimal::Decimal;

use super::CofinancingSettings;
use crate::audit::{self, AuditAction, Ctx};
use crate::error::{CoreError, Result};

/// The stored settings; keys missing from the stored object take their defaults.
pub fn get_settings(conn: &Db) -> Result<CofinancingSettings> {
    let json: String = conn.query_row("SELECT body_json FROM cofinancing_settings WHERE id = 1", [], |r| {
        r.get(0)
    })?;
    serde_json::from_str(&json).map_err(|e| {
        CoreError::storage(format!(
            "Настройки софинансирования повреждены ({e}). Сохраните их заново."
        ))
    })
}

fn validate(s: &CofinancingSettings) -> Result<()> {
    if s.low_budget_warning_share.is_sign_negative() || s.low_budget_warning_share > Decimal::ONE {
        return Err(CoreError::field(
            "low_budget_warning_share",
            "Порог предупреждения об остатке сметы: укажите долю от 0 до 1 (например, 0.10 — 10 %)",
        ));
    }
    if !(1..=10).contains(&s.refusal_window_years) {
        return Err(CoreError::field(
            "refusal_window_years",
            "Срок для п. 6.1.5: укажите от 1 до 10 лет",
        ));
    }
    if !(1..=20).contains(&s.refusal_min_services) {
        return Err(CoreError::field(
            "refusal_min_services",
            "Число услуг для п. 6.1.5: укажите от 1 до 20",
        ));
    }
    if chrono::NaiveDate::from_ymd_opt(2025, s.carry_over_month, s.carry_over_day).is_none() {
        return Err(CoreError::field(
            "carry_over",
            "Срок расходования средств сметы в следующем году: укажите день и месяц, например 01.04 (1 апреля)",
        ));
    }
    Ok(())
}

/// Saves the settings in one transaction with their audit entry.
pub fn save_settings(conn: &mut Db, ctx: &Ctx, settings: &CofinancingSettings) -> Result<CofinancingSettings> {
    validate(settings)?;
    let tx = conn.write(ctx, Right::Settings)?;
    let before = get_settings(&tx)?;
    let json = serde_json::to_string(settings).expect("settings serialise");
    tx.execute(
        "UPDATE cofinancing_settings SET body_json = ?1 WHERE id = 1",
        params![json],
    )?;
    audit::record(
        &tx,
        ctx,
        "cofinancing_settings",
        1,
        AuditAction::Update,
        Some(&before),
        Some(settings),
    )?;
    tx.commit()?;
    Ok(settings.clone())
}
