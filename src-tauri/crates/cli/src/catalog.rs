//! `cpe catalog show`: the service catalog in force in a year or on a day — rows, items, shares, caps and terms — in the terminal or as JSON.

use std::process::ExitCode;

use cpe_core::catalog::{self, ItemRole, ServiceCatalog, ShareBasis};
use cpe_core::db::Db;
use cpe_core::money::format_rub;
use cpe_core::CoreError;
use rust_decimal::Decimal;

use crate::application::{print_json, today};
use crate::cofinancing::{year_end, CatalogAction};

pub fn catalog(conn: &Db, action: CatalogAction) -> Result<ExitCode, CoreError> {
    let CatalogAction::Show { year, date, json } = action;
    let on = match (year, date) {
        (_, Some(d)) => d,
        (Some(y), None) => year_end(y)?,
        (None, None) => today(),
    };
    let cat = catalog::version_for(conn, on)?;
    if json {
        print_json(&cat);
    } else {
        print_catalog(&cat);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_catalog(cat: &ServiceCatalog) {
    println!(
        "Каталог услуг № {} — действует с {}: {}",
        cat.id,
        cat.effective_from.format("%d.%m.%Y"),
        cat.title
    );
    for s in &cat.services {
        println!();
        println!("{} [{}] {} ({})", s.code, s.kind.label(), s.name, s.source);
        let mut notes = Vec::new();
        if s.min_additional > 0 {
            notes.push(format!("дополнительных услуг не менее {}", s.min_additional));
        }
        if let Some(n) = s.min_participants {
            notes.push(format!("не менее {n} СМСП одновременно"));
        }
        if !s.counts_for_refusal {
            notes.push("не учитывается в п. 6.1.5".to_owned());
        }
        if !notes.is_empty() {
            println!("    {}", notes.join("; "));
        }
        for i in &s.items {
            let mut terms = vec![if i.is_free() {
                "безвозмездно".to_owned()
            } else {
                format!(
                    "софинансирование СМСП не менее {} %",
                    (i.min_sme_rate * Decimal::ONE_HUNDRED).normalize()
                )
            }];
            if i.share_basis == ShareBasis::PreparationFilingPaperwork {
                terms.push("от стоимости подготовки, подачи заявки и делопроизводства; пошлины — 100 % ЦПЭ".to_owned());
            }
            if let Some(cap) = i.cap_per_sme {
                terms.push(format!("не более {} на 1 СМСП", format_rub(cap)));
            }
            if i.declaration_required {
                terms.push("заявление о неполучении субсидии на те же цели".to_owned());
            }
            if let Some(n) = i.min_participants {
                terms.push(format!("не менее {n} СМСП"));
            }
            let role = if i.role == ItemRole::Whole {
                String::new()
            } else {
                format!("{}: ", i.role.label())
            };
            println!("  {} {role}{} — {} ({})", i.code, i.name, terms.join("; "), i.source);
        }
        for doc in &s.documents {
            println!("    документ: {doc}");
        }
    }
}
