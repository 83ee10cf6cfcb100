//! The rules of the engine, one function per rule family; each appends every violation it finds so the caller sees them all at once.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

use super::{
    centre_share, min_sme_share, CapPeriod, CapScope, CapUse, CheckInput, CofinancingCheck, EligibilityVerdict,
    ItemSplit, ProposedItem, Violation, ViolationCode, Warning, WarningCode,
};
use crate::budget::BudgetRow;
use crate::catalog::{CatalogItem, ItemRole, Service, ShareBasis};
use crate::money::{self, format_rub};

#[derive(Default)]
pub(super) struct Outcome {
    violations: Vec<Violation>,
    warnings: Vec<Warning>,
}

impl Outcome {
    pub fn violation(&mut self, code: ViolationCode, message: String, source: impl Into<String>, item: Option<String>) {
        self.violations.push(Violation {
            code,
            message,
            source: source.into(),
            item_code: item,
        });
    }

    fn warn(&mut self, code: WarningCode, message: String, source: impl Into<String>) {
        self.warnings.push(Warning {
            code,
            message,
            source: source.into(),
        });
    }

    pub fn finish(self, items: Vec<ItemSplit>) -> CofinancingCheck {
        let sum = |f: fn(&ItemSplit) -> Decimal| money::kopecks(items.iter().map(f).sum());
        CofinancingCheck {
            signable: self.violations.is_empty(),
            cost: sum(|i| i.cost),
            state_fees: sum(|i| i.state_fees),
            min_sme_share: sum(|i| i.min_sme_share),
            sme_share: sum(|i| i.sme_share),
            centre_share: sum(|i| i.centre_share),
            items,
            violations: self.violations,
            warnings: self.warnings,
        }
    }
}

fn ru_date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn percent(rate: Decimal) -> String {
    format!("{} %", (rate * Decimal::ONE_HUNDRED).normalize())
}

/// §6.1.1: support only after a staff member confirmed the SME meets §4.
pub(super) fn eligibility(input: &CheckInput, out: &mut Outcome) {
    let message = match input.eligibility {
        EligibilityVerdict::Eligible => return,
        EligibilityVerdict::NotEligible => {
            out.violation(
                ViolationCode::NotEligible,
                "СМСП не соответствует требованиям раздела 4 регламента: в поддержке отказано (п. 6.1.1). \
                 Услугу можно оказать только на платной основе."
                    .to_owned(),
                "п. 6.1.1, разд. 4",
                None,
            );
            return;
        }
        EligibilityVerdict::NeedsRecheck => {
            "Проверка соответствия СМСП требованиям раздела 4 устарела: проверьте СМСП заново"
        }
        EligibilityVerdict::Unknown => {
            "Соответствие СМСП требованиям раздела 4 не проверено: проведите проверку и запишите её результат"
        }
    };
    out.violation(
        ViolationCode::EligibilityUnconfirmed,
        format!("{message} (п. 4.4)."),
        "п. 4.4, п. 6.1.1",
        None,
    );
}

/// Base items, required additional items, participants, and the no-double-subsidy declaration.
pub(super) fn structure(
    input: &CheckInput,
    service: &Service,
    chosen: &[(&CatalogItem, &ProposedItem)],
    out: &mut Outcome,
) {
    let has = |code: &str| chosen.iter().any(|(i, _)| i.code == code);
    for base in service.items.iter().filter(|i| i.role == ItemRole::Base) {
        if !has(&base.code) {
            out.violation(
                ViolationCode::BaseItemMissing,
                format!(
                    "Услуга {}: нет базовой (обязательной) услуги «{}» ({}). Добавьте её в соглашение.",
                    service.code, base.name, base.code
                ),
                base.source.clone(),
                Some(base.code.clone()),
            );
        }
    }
    let formats: Vec<&CatalogItem> = service.items.iter().filter(|i| i.role == ItemRole::Format).collect();
    let chosen_formats = formats.iter().filter(|f| has(&f.code)).count();
    if !formats.is_empty() && chosen_formats != 1 {
        out.violation(
            ViolationCode::BaseItemMissing,
            format!(
                "Услуга {}: выберите ровно один формат (выбрано {chosen_formats}): {}",
                service.code,
                formats.iter().map(|f| f.code.as_str()).collect::<Vec<_>>().join(", ")
            ),
            service.source.clone(),
            None,
        );
    }
    let mut additional: Vec<&str> = chosen
        .iter()
        .filter(|(i, _)| i.role == ItemRole::Additional)
        .map(|(i, _)| i.code.as_str())
        .collect();
    additional.dedup();
    if (additional.len() as u32) < service.min_additional {
        out.violation(
            ViolationCode::AdditionalItemMissing,
            format!(
                "Услуга {}: нужно не менее {} дополнительной услуги на выбор, выбрано {}. Добавьте дополнительную услугу.",
                service.code,
                service.min_additional,
                additional.len()
            ),
            service.source.clone(),
            None,
        );
    }
    let item_min = chosen
        .iter()
        .filter_map(|(i, _)| i.min_participants.map(|m| (m, i.source.clone())))
        .max();
    let service_min = service.min_participants.map(|m| (m, service.source.clone()));
    if let Some((min, source)) = item_min.into_iter().chain(service_min).max_by_key(|(m, _)| *m) {
        let given = input.proposal.participants.unwrap_or(0);
        if given < min {
            out.violation(
                ViolationCode::ParticipantsBelowMinimum,
                format!(
                    "Услуга {} оказывается не менее чем {min} СМСП одновременно, а участников {}.",
                    service.code,
                    input
                        .proposal
                        .participants
                        .map_or("не указано".to_owned(), |n| n.to_string())
                ),
                source,
                None,
            );
        }
    }
    let needing: Vec<&CatalogItem> = chosen
        .iter()
        .filter(|(i, _)| i.declaration_required)
        .map(|(i, _)| *i)
        .collect();
    if !input.proposal.declaration_signed && !needing.is_empty() {
        out.violation(
            ViolationCode::DeclarationMissing,
            format!(
                "Услуга {}: нет заявления СМСП о неполучении субсидии из федерального и регионального бюджетов на те же цели. \
                 Приложите заявление.",
                service.code
            ),
            needing[0].source.clone(),
            Some(needing[0].code.clone()),
        );
    }
}

/// Per item: the amounts are sane, the SME pays at least the minimum, the cap per SME holds.
pub(super) fn amounts(
    input: &CheckInput,
    chosen: &[(&CatalogItem, &ProposedItem)],
    out: &mut Outcome,
) -> Vec<ItemSplit> {
    let mut splits = Vec::with_capacity(chosen.len());
    for (item, p) in chosen {
        let code = Some(item.code.clone());
        let bad_scale = |d: Decimal| d.normalize().scale() > 2;
        for (what, value) in [
            ("стоимость", p.cost),
            ("доля СМСП", p.sme_share),
            ("пошлины", p.state_fees),
        ] {
            if value.is_sign_negative() && !value.is_zero() || bad_scale(value) {
                out.violation(
                    ViolationCode::InvalidAmount,
                    format!(
                        "{}: {what} {value} — укажите неотрицательную сумму с точностью до копейки",
                        item.code
                    ),
                    item.source.clone(),
                    code.clone(),
                );
            }
        }
        if p.sme_share > p.cost {
            out.violation(
                ViolationCode::InvalidAmount,
                format!(
                    "{}: доля СМСП {} больше стоимости {}",
                    item.code,
                    format_rub(p.sme_share),
                    format_rub(p.cost)
                ),
                item.source.clone(),
                code.clone(),
            );
        }
        if !p.state_fees.is_zero() && item.share_basis != ShareBasis::PreparationFilingPaperwork {
            out.violation(
                ViolationCode::InvalidAmount,
                format!(
                    "{}: пошлины оплачивает ЦПЭ только по услуге 4.3; уберите их из этой услуги",
                    item.code
                ),
                item.source.clone(),
                code.clone(),
            );
        }
        let min = min_sme_share(p.cost, item.min_sme_rate);
        if item.is_free() && p.sme_share > Decimal::ZERO {
            out.violation(
                ViolationCode::SmeShareOnFreeItem,
                format!(
                    "{}: услуга предоставляется СМСП на безвозмездной основе, а указана доля СМСП {}. \
                     Укажите долю СМСП 0 ₽ — всю стоимость оплачивает ЦПЭ.",
                    item.code,
                    format_rub(p.sme_share)
                ),
                item.source.clone(),
                code.clone(),
            );
        } else if p.sme_share < min {
            let basis = match item.share_basis {
                ShareBasis::FullCost => "стоимости услуги",
                ShareBasis::PreparationFilingPaperwork => {
                    "стоимости подготовки, подачи заявки и делопроизводства (без пошлин)"
                }
            };
            out.violation(
                ViolationCode::SmeShareBelowMinimum,
                format!(
                    "{}: доля СМСП {} меньше минимальной {} — не менее {} {basis} {}.",
                    item.code,
                    format_rub(p.sme_share),
                    format_rub(min),
                    percent(item.min_sme_rate),
                    format_rub(p.cost)
                ),
                item.source.clone(),
                code.clone(),
            );
        }
        let centre = centre_share(p.cost, p.sme_share, p.state_fees);
        let cap = item.cap_per_sme.map(|cap| cap_use(input, item, p, cap, centre, out));
        splits.push(ItemSplit {
            item_code: item.code.clone(),
            name: item.name.clone(),
            cost: money::kopecks(p.cost),
            state_fees: money::kopecks(p.state_fees),
            min_sme_rate: item.min_sme_rate,
            min_sme_share: min,
            sme_share: money::kopecks(p.sme_share),
            centre_share: centre,
            cap,
        });
    }
    splits
}

fn cap_use(
    input: &CheckInput,
    item: &CatalogItem,
    p: &ProposedItem,
    cap: Decimal,
    centre: Decimal,
    out: &mut Outcome,
) -> CapUse {
    let year = input.proposal.date.year();
    let in_period = |d: NaiveDate| match input.settings.cap_period {
        CapPeriod::FinancialYear => d.year() == year,
        CapPeriod::AllTime => true,
    };
    // The items sharing this cap: the item code itself, or every item of its kind of support.
    let kind = item
        .support_kind
        .as_deref()
        .filter(|_| input.settings.cap_scope == CapScope::SupportKind);
    let shares_cap = |code: &str| {
        code == item.code
            || kind.is_some_and(|k| {
                input
                    .catalog
                    .item(code)
                    .is_some_and(|(_, i)| i.support_kind.as_deref() == Some(k))
            })
    };
    let used = money::kopecks(
        input
            .history
            .agreements
            .iter()
            .filter(|a| in_period(a.concluded_on))
            .flat_map(|a| a.items.iter().filter(|i| shares_cap(&i.item_code)))
            .map(|i| i.centre_share)
            .sum(),
    );
    let this_request = if input.settings.state_fees_count_toward_cap {
        centre
    } else {
        centre - p.state_fees
    };
    let remaining = money::kopecks(cap - used - this_request);
    if remaining.is_sign_negative() && !remaining.is_zero() {
        let period = match input.settings.cap_period {
            CapPeriod::FinancialYear => format!("в {year} финансовом году"),
            CapPeriod::AllTime => "за всё время".to_owned(),
        };
        let scope = match kind {
            Some(_) => {
                let codes: Vec<&str> = input
                    .catalog
                    .services
                    .iter()
                    .flat_map(|s| &s.items)
                    .filter(|i| i.support_kind == item.support_kind)
                    .map(|i| i.code.as_str())
                    .collect();
                format!(
                    " (один лимит на этот вид поддержки во всех услугах: {})",
                    codes.join(", ")
                )
            }
            None => String::new(),
        };
        out.violation(
            ViolationCode::CapExceeded,
            format!(
                "{}: превышен лимит на 1 СМСП {} {period}{scope}: уже использовано {}, по этой заявке {}, остаток лимита {}.",
                item.code,
                format_rub(cap),
                format_rub(used),
                format_rub(this_request),
                format_rub((cap - used).max(Decimal::ZERO))
            ),
            item.source.clone(),
            Some(item.code.clone()),
        );
    }
    CapUse {
        cap: money::kopecks(cap),
        used,
        this_request: money::kopecks(this_request),
        remaining,
    }
}

/// §6.1.2: the centre's share must fit in what remains of the year's budget, per catalog row and in total.
pub(super) fn budget(input: &CheckInput, service: &Service, splits: &[ItemSplit], out: &mut Outcome) {
    let request = money::kopecks(splits.iter().map(|s| s.centre_share).sum());
    if request <= Decimal::ZERO {
        return;
    }
    let year = input.proposal.date.year();
    let status = input.budget;
    let line = status.line(&service.code).filter(|_| status.year == year);
    let total = Some(&status.total).filter(|_| status.year == year);
    let what = format!("услугу {}", service.code);
    over_budget(out, year, &what, line, request, Some(service.code.clone()));
    over_budget(out, year, "все услуги", total, request, None);
    if let Some(row) = line {
        if let (Some(budget), Some(remaining)) = (row.budget, row.remaining) {
            let after = remaining - request;
            if budget > Decimal::ZERO
                && after >= Decimal::ZERO
                && after < budget * input.settings.low_budget_warning_share
            {
                out.warn(
                    WarningCode::BudgetLow,
                    format!(
                        "После этого соглашения по услуге {} в смете на {year} год останется {} из {} — меньше {}.",
                        service.code,
                        format_rub(after),
                        format_rub(budget),
                        percent(input.settings.low_budget_warning_share)
                    ),
                    "п. 6.1.2",
                );
            }
        }
    }
}

fn over_budget(
    out: &mut Outcome,
    year: i32,
    what: &str,
    row: Option<&BudgetRow>,
    request: Decimal,
    item: Option<String>,
) {
    let message = match row.and_then(|r| r.budget.zip(r.remaining).map(|(b, rem)| (r, b, rem))) {
        None => format!(
            "В смете ЦПЭ на {year} год нет средств на {what}: доля ЦПЭ {} не может быть оплачена. Задайте смету на {year} год.",
            format_rub(request)
        ),
        Some((_, _, remaining)) if request <= remaining => return,
        Some((r, budget, remaining)) => format!(
            "Недостаточно средств сметы на {year} год на {what}: смета {}, в обязательствах {}, израсходовано {}, \
             остаток {}, а доля ЦПЭ по этой заявке {}.",
            format_rub(budget),
            format_rub(r.committed),
            format_rub(r.spent),
            format_rub(remaining),
            format_rub(request)
        ),
    };
    out.violation(ViolationCode::BudgetExceeded, message, "п. 6.1.2", item);
}

/// §6.1.5: at least N counted services closed by an act in the window of years «предшествующих
/// обращению» (ending at the application's receipt, or at the agreement's date without one), and no
/// export contract concluded by the agreement's date reported as their result.
pub(super) fn three_services(input: &CheckInput, service: &Service, out: &mut Outcome) {
    if !service.counts_for_refusal {
        return;
    }
    let s = input.settings;
    let signed_on = input.proposal.date;
    let date = input.proposal.requested_on.unwrap_or(signed_on).min(signed_on);
    let from = date
        .checked_sub_months(Months::new(12 * s.refusal_window_years))
        .unwrap_or(NaiveDate::MIN);
    let counts = |code: &str| input.catalog.service(code).is_some_and(|c| c.counts_for_refusal);
    let mut counted: Vec<(&str, i64, NaiveDate)> = input
        .history
        .agreements
        .iter()
        .filter_map(|a| {
            a.closed_on
                .filter(|d| *d >= from && *d < date)
                .map(|d| (a.service_code.as_str(), a.id, d))
        })
        .filter(|(code, _, _)| counts(code))
        .collect();
    if (counted.len() as u32) < s.refusal_min_services.max(1) {
        return;
    }
    let contract = input
        .history
        .export_contracts
        .iter()
        .any(|c| c.concluded_on <= signed_on && counted.iter().any(|(_, id, _)| *id == c.agreement_id));
    if contract {
        return;
    }
    counted.sort_by_key(|(code, id, d)| (*d, *id, *code));
    let list = counted
        .iter()
        .map(|(code, id, d)| format!("{code} (соглашение № {id}, акт от {})", ru_date(*d)))
        .collect::<Vec<_>>()
        .join("; ");
    out.violation(
        ViolationCode::ThreeServicesNoContract,
        format!(
            "За {} года до обращения ({}) СМСП получил {} самостоятельных и (или) комплексных услуг и не заключил по их результатам ни одного \
             экспортного контракта: {list}.",
            s.refusal_window_years,
            ru_date(date),
            counted.len()
        ),
        "п. 6.1.5",
        None,
    );
}

/// Разд. 3: the terms an item's wording sets in quantities. Each missing quantity and each term
/// not met is a violation at the item, naming the limit and the paragraph.
pub(super) fn quantities(chosen: &[(&CatalogItem, &ProposedItem)], out: &mut Outcome) {
    for (item, p) in chosen {
        let Some(l) = &item.limits else {
            continue;
        };
        let q = &p.quantity;
        let mut problems: Vec<String> = Vec::new();
        if let Some(max) = l.max_per_guest_day {
            match (q.guests.filter(|g| *g > 0), q.days.filter(|d| *d > 0)) {
                (Some(g), Some(d)) => {
                    let most = max * Decimal::from(g) * Decimal::from(d);
                    if p.cost > most {
                        problems.push(format!(
                            "стоимость {} больше {} — не более {} в сутки на одного человека × {g} чел. × {d} сут.",
                            format_rub(p.cost),
                            format_rub(most),
                            format_rub(max)
                        ));
                    }
                }
                _ => problems.push(format!(
                    "укажите число гостей и суток — стоимость не более {} в сутки на одного человека",
                    format_rub(max)
                )),
            }
        }
        let area = q.area_m2.filter(|a| *a > Decimal::ZERO);
        let m2 = |a: Decimal| format!("{} м²", a.normalize().to_string().replace('.', ","));
        if l.min_area_m2.is_some() || l.max_area_m2.is_some() {
            match area {
                None => problems.push("укажите площадь, м²".to_owned()),
                Some(a) => {
                    if let Some(min) = l.min_area_m2.filter(|min| a < *min) {
                        problems.push(format!("площадь {} меньше {} на одного СМСП", m2(a), m2(min)));
                    }
                    if let Some(max) = l.max_area_m2.filter(|max| a > *max) {
                        problems.push(format!("площадь {} больше {}", m2(a), m2(max)));
                    }
                }
            }
        }
        if let Some(max) = l.max_months {
            match q.months.filter(|m| *m > 0) {
                None => problems.push("укажите срок, месяцев".to_owned()),
                Some(m) if m > max => problems.push(format!("срок {m} мес. больше {max} мес.")),
                Some(_) => {}
            }
        }
        if let Some(condition) = l.condition.as_deref().filter(|_| !q.condition_confirmed) {
            problems.push(format!("подтвердите условие «{condition}»"));
        }
        if !problems.is_empty() {
            out.violation(
                ViolationCode::ItemTermsNotMet,
                format!("{} «{}»: {}.", item.code, item.name, problems.join("; ")),
                item.source.clone(),
                Some(item.code.clone()),
            );
        }
    }
}
