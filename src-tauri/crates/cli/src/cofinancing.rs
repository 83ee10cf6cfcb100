//! `cpe catalog`, `cpe budget` and `cpe cofinancing check|settings`: the service catalog, the year's budget, the cofinancing engine and its settings from a terminal.

use std::process::ExitCode;

use chrono::{Datelike, NaiveDate};
use clap::{Args, Subcommand};
use cpe_core::agreement;
use cpe_core::audit::Ctx;
use cpe_core::budget::{self, BudgetRow};
use cpe_core::catalog::{self, ItemQuantity};
use cpe_core::cofinancing::{self, CapPeriod, CapScope, CofinancingCheck, Proposal, ProposedItem};
use cpe_core::db::Db;
use cpe_core::document::words::plural;
use cpe_core::money::{format_rub, parse_rub, plain};
use cpe_core::{sme, CoreError};
use rust_decimal::Decimal;
use serde_json::json;

use crate::application::{print_json, today};
pub use crate::catalog::catalog;

#[derive(Subcommand)]
pub enum CatalogAction {
    /// Показать каталог услуг, действующий в году (или на дату)
    Show {
        /// Финансовый год: каталог, действующий на его конец (по умолчанию — на сегодня)
        #[arg(long)]
        year: Option<i32>,
        /// Дата ГГГГ-ММ-ДД: каталог, действующий на неё
        #[arg(long, conflicts_with = "year")]
        date: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum BudgetAction {
    /// Смета года: сумма, обязательства, израсходовано, остаток по услугам и всего
    Show {
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// Задать сумму по услуге (--service 4.2 --amount 5000000) или итог года (--total 20000000)
    Set {
        #[arg(long)]
        year: i32,
        #[arg(long, requires = "amount")]
        service: Option<String>,
        #[arg(long, requires = "service")]
        amount: Option<String>,
        /// Итог сметы; «sum» — считать итог суммой строк
        #[arg(long, required_unless_present = "service")]
        total: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum CofinancingAction {
    /// Проверить распределение стоимости услуги: выход 0 — можно подписывать, 1 — нельзя
    Check(CheckArgs),
    /// Правила софинансирования (прочтения регламента, которые выбирает центр): показать или изменить
    Settings(SettingsArgs),
}

#[derive(Args)]
pub struct CheckArgs {
    /// ИНН СМСП из реестра
    #[arg(long)]
    inn: String,
    /// Код услуги по каталогу, например 4.2
    #[arg(long)]
    service: String,
    /// Стоимость, от которой считается доля СМСП (для 4.3 — без пошлин)
    #[arg(long)]
    cost: Option<String>,
    /// Доля СМСП
    #[arg(long = "sme-share")]
    sme_share: Option<String>,
    /// Пошлины, которые ЦПЭ оплачивает полностью (услуга 4.3)
    #[arg(long)]
    fees: Option<String>,
    /// Состав комплексной услуги: КОД:СТОИМОСТЬ:ДОЛЯ_СМСП, например --item 5.2.a1:187500:37500
    #[arg(long = "item", value_name = "CODE:COST:SHARE")]
    items: Vec<String>,
    /// Количества позиции по условиям каталога: КОД:guests=3,days=2 | area=9 | months=3 | confirmed
    #[arg(long = "quantity", value_name = "CODE:QUANTITIES")]
    quantities: Vec<String>,
    /// Число СМСП-участников (бизнес-миссии, акселераторы)
    #[arg(long)]
    participants: Option<u32>,
    /// Формат услуги (5.7, 5.8): код из каталога, например abroad_collective
    #[arg(long)]
    format: Option<String>,
    /// Протокол конкурсного отбора для индивидуального стенда (п. 5.5.4): номер и дата
    #[arg(long)]
    selection: Option<String>,
    /// СМСП подал заявление о неполучении субсидии на те же цели
    #[arg(long)]
    declaration: bool,
    /// Дата обращения ГГГГ-ММ-ДД (по умолчанию — сегодня)
    #[arg(long)]
    date: Option<NaiveDate>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct SettingsArgs {
    /// Предельная сумма на СМСП: за финансовый год (year) или за всё время (all)
    #[arg(long, value_parser = ["year", "all"])]
    cap_period: Option<String>,
    /// Предельная сумма на СМСП: по каждой позиции каталога (item) или по виду поддержки во всех услугах (kind; сайт 5.2/5.4/5.7 — один лимит)
    #[arg(long, value_parser = ["item", "kind"])]
    cap_scope: Option<String>,
    /// Средства сметы года оплачивают акты, подписанные до этого дня следующего года, ДД.ММ (по умолчанию 01.04)
    #[arg(long)]
    carry_over: Option<String>,
    /// Предупреждать, когда в строке сметы остаётся меньше стольких процентов (по умолчанию 10)
    #[arg(long)]
    warn_percent: Option<String>,
    /// П. 6.1.5: срок, лет (по умолчанию 3)
    #[arg(long)]
    refusal_years: Option<u32>,
    /// П. 6.1.5: число услуг без экспортного контракта (по умолчанию 3)
    #[arg(long)]
    refusal_services: Option<u32>,
    /// Пошлины по услуге 4.3 входят в предельную сумму на СМСП: yes / no (по умолчанию yes)
    #[arg(long, value_parser = ["yes", "no"])]
    fees_in_cap: Option<String>,
    #[arg(long)]
    json: bool,
}

/// `cpe cofinancing settings`: prints the settings, after saving the options given (head only).
fn settings(conn: &mut Db, ctx: &Ctx, args: SettingsArgs) -> Result<ExitCode, CoreError> {
    let SettingsArgs {
        cap_period,
        cap_scope,
        carry_over,
        warn_percent,
        refusal_years,
        refusal_services,
        fees_in_cap,
        json,
    } = args;
    let mut s = cofinancing::get_settings(conn)?;
    let before = s.clone();
    if let Some(p) = cap_period {
        s.cap_period = if p == "all" {
            CapPeriod::AllTime
        } else {
            CapPeriod::FinancialYear
        };
    }
    if let Some(scope) = cap_scope {
        s.cap_scope = if scope == "kind" {
            CapScope::SupportKind
        } else {
            CapScope::ItemCode
        };
    }
    if let Some(text) = carry_over {
        let bad = || {
            CoreError::field(
                "carry_over",
                "--carry-over: укажите день и месяц через точку, например 01.04",
            )
        };
        let (day, month) = text.trim().split_once('.').ok_or_else(bad)?;
        s.carry_over_day = day.parse().map_err(|_| bad())?;
        s.carry_over_month = month.trim_end_matches('.').parse().map_err(|_| bad())?;
    }
    if let Some(p) = warn_percent {
        let percent =
            Decimal::from_str_exact(p.trim().replace(',', ".").trim_end_matches('%').trim()).map_err(|_| {
                CoreError::field(
                    "low_budget_warning_share",
                    "--warn-percent: укажите процент числом, например 10",
                )
            })?;
        s.low_budget_warning_share = percent / Decimal::ONE_HUNDRED;
    }
    if let Some(y) = refusal_years {
        s.refusal_window_years = y;
    }
    if let Some(n) = refusal_services {
        s.refusal_min_services = n;
    }
    if let Some(f) = fees_in_cap {
        s.state_fees_count_toward_cap = f == "yes";
    }
    if s != before {
        s = cofinancing::save_settings(conn, ctx, &s)?;
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&s).expect("settings serialise"));
        return Ok(ExitCode::SUCCESS);
    }
    let paid_until = budget::carry_over_ends(2000, &s) - chrono::Days::new(1);
    println!(
        "Предельная сумма на СМСП: {}",
        match s.cap_period {
            CapPeriod::FinancialYear => "за финансовый год соглашения",
            CapPeriod::AllTime => "за всё время",
        }
    );
    println!(
        "Предельная сумма на СМСП считается: {}",
        match s.cap_scope {
            CapScope::ItemCode => "по каждой позиции каталога",
            CapScope::SupportKind => "по виду поддержки во всех услугах (сайт, хранение за рубежом)",
        }
    );
    println!(
        "Пошлины по услуге 4.3 в предельной сумме: {}",
        if s.state_fees_count_toward_cap {
            "да"
        } else {
            "нет"
        }
    );
    println!(
        "Средства сметы года оплачивают акты, подписанные до {} следующего года (по {} включительно)",
        paid_until
            .succ_opt()
            .map(|d| d.format("%d.%m").to_string())
            .unwrap_or_default(),
        paid_until.format("%d.%m")
    );
    println!(
        "Предупреждение об остатке сметы: меньше {} % строки",
        (s.low_budget_warning_share * Decimal::ONE_HUNDRED).normalize()
    );
    let (n, years) = (s.refusal_min_services, s.refusal_window_years);
    println!(
        "П. 6.1.5: {n} {} за {years} {} без экспортного контракта",
        plural(n.into(), ["услуга", "услуги", "услуг"]),
        plural(years.into(), ["год", "года", "лет"])
    );
    Ok(ExitCode::SUCCESS)
}

fn amount(field: &str, text: &str) -> Result<Decimal, CoreError> {
    parse_rub(text).map_err(|reason| CoreError::field(field, format!("--{field}: {reason}")))
}

pub(crate) fn year_end(year: i32) -> Result<NaiveDate, CoreError> {
    NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| CoreError::field("year", format!("Год {year}: укажите год, например 2025")))
}

fn row_json(r: &BudgetRow) -> serde_json::Value {
    json!({
        "service_code": r.service_code,
        "budget": r.budget.map(plain),
        "committed": plain(r.committed),
        "spent": plain(r.spent),
        "remaining": r.remaining.map(plain),
    })
}

pub fn budget(conn: &mut Db, ctx: &Ctx, action: BudgetAction) -> Result<ExitCode, CoreError> {
    match action {
        BudgetAction::Show { year, json } => {
            let year = year.unwrap_or_else(|| today().year());
            let status = budget::show(conn, year)?;
            if json {
                let lines: Vec<_> = status.lines.iter().map(row_json).collect();
                print_json(&json!({"year": year, "lines": lines, "total": row_json(&status.total)}));
            } else {
                let cat = catalog::version_for(conn, year_end(year)?).ok();
                let name = |code: &str| {
                    cat.as_ref()
                        .and_then(|c| c.service(code))
                        .map(|s| s.name.clone())
                        .unwrap_or_default()
                };
                let money = |d: Option<Decimal>| d.map(format_rub).unwrap_or_else(|| "—".to_owned());
                println!("Смета на {year} год: услуга | смета | обязательства | израсходовано | остаток");
                for r in &status.lines {
                    let code = r.service_code.as_deref().unwrap_or("");
                    println!(
                        "{code}\t{}\t{}\t{}\t{}\t{}",
                        name(code),
                        money(r.budget),
                        format_rub(r.committed),
                        format_rub(r.spent),
                        money(r.remaining)
                    );
                }
                let t = &status.total;
                println!(
                    "Всего\t\t{}\t{}\t{}\t{}",
                    money(t.budget),
                    format_rub(t.committed),
                    format_rub(t.spent),
                    money(t.remaining)
                );
            }
        }
        BudgetAction::Set {
            year,
            service,
            amount: value,
            total,
        } => {
            if let (Some(code), Some(value)) = (service, value) {
                let b = budget::set_line(conn, ctx, year, &code, amount("amount", &value)?)?;
                println!(
                    "Смета {year}: услуга {} — {}",
                    code.trim(),
                    format_rub(b.line(code.trim()).unwrap_or_default())
                );
            }
            if let Some(total) = total {
                let total = if total.trim() == "sum" {
                    None
                } else {
                    Some(amount("total", &total)?)
                };
                let b = budget::set_total(conn, ctx, year, total)?;
                let shown = b
                    .effective_total()
                    .map(format_rub)
                    .unwrap_or_else(|| "не задан".to_owned());
                println!("Смета {year}: итог — {shown}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `CODE:COST:SHARE` of `--item`.
fn parse_item(text: &str) -> Result<ProposedItem, CoreError> {
    let parts: Vec<&str> = text.split(':').collect();
    let [code, cost, share] = parts[..] else {
        return Err(CoreError::field(
            "item",
            format!("--item {text}: укажите КОД:СТОИМОСТЬ:ДОЛЯ_СМСП, например 5.2.a1:187500:37500"),
        ));
    };
    Ok(ProposedItem {
        item_code: code.trim().to_owned(),
        cost: amount("item", cost)?,
        sme_share: amount("item", share)?,
        state_fees: Decimal::ZERO,
        quantity: Default::default(),
    })
}

/// `CODE:guests=3,days=2` of `--quantity`.
pub(crate) fn parse_quantity(text: &str) -> Result<(String, ItemQuantity), CoreError> {
    let (code, rest) = text.split_once(':').ok_or_else(|| {
        CoreError::field(
            "quantity",
            format!("--quantity {text}: укажите КОД:КОЛИЧЕСТВА, например 5.5.a5:guests=3,days=2"),
        )
    })?;
    let q = ItemQuantity::parse(rest).map_err(|e| CoreError::field("quantity", format!("--quantity {text}: {e}")))?;
    Ok((code.trim().to_owned(), q))
}

pub fn cofinancing(conn: &mut Db, ctx: &Ctx, action: CofinancingAction) -> Result<ExitCode, CoreError> {
    match action {
        CofinancingAction::Check(args) => check(conn, args),
        CofinancingAction::Settings(args) => settings(conn, ctx, args),
    }
}

/// `cpe cofinancing check`: the engine's verdict on a proposed split; exit 1 when it cannot be signed.
fn check(conn: &Db, args: CheckArgs) -> Result<ExitCode, CoreError> {
    let CheckArgs {
        inn,
        service,
        cost,
        sme_share,
        fees,
        items,
        quantities,
        participants,
        format,
        selection,
        declaration,
        date,
        json,
    } = args;
    let date = date.unwrap_or_else(today);
    let sme = sme::get_by_inn(conn, &inn)?.ok_or_else(|| {
        CoreError::not_found(format!(
            "СМСП с ИНН {} нет в реестре. Добавьте его: cpe sme add",
            inn.trim()
        ))
    })?;
    let cat = catalog::version_for(conn, date)?;
    let mut proposed = items.iter().map(|t| parse_item(t)).collect::<Result<Vec<_>, _>>()?;
    match (cost, sme_share) {
        (Some(cost), share) => {
            let single = cat
                .service(&service)
                .filter(|s| s.items.len() == 1)
                .map(|s| s.items[0].code.clone());
            let Some(code) = single else {
                return Err(CoreError::field(
                    "cost",
                    format!(
                        "Услуга {service} состоит из нескольких услуг: укажите их через --item КОД:СТОИМОСТЬ:ДОЛЯ_СМСП"
                    ),
                ));
            };
            proposed.push(ProposedItem {
                item_code: code,
                cost: amount("cost", &cost)?,
                sme_share: share
                    .as_deref()
                    .map(|s| amount("sme-share", s))
                    .transpose()?
                    .unwrap_or_default(),
                state_fees: fees
                    .as_deref()
                    .map(|f| amount("fees", f))
                    .transpose()?
                    .unwrap_or_default(),
                quantity: ItemQuantity::default(),
            });
        }
        (None, Some(_)) => {
            return Err(CoreError::field(
                "cost",
                "--sme-share указана без --cost: укажите стоимость услуги",
            ))
        }
        (None, None) if fees.is_some() => {
            return Err(CoreError::field(
                "cost",
                "--fees указаны без --cost: укажите стоимость услуги",
            ))
        }
        (None, None) => {}
    }
    for text in &quantities {
        let (code, q) = parse_quantity(text)?;
        let item = proposed.iter_mut().find(|i| i.item_code == code).ok_or_else(|| {
            CoreError::field(
                "quantity",
                format!("--quantity {text}: позиции {code} нет среди --item"),
            )
        })?;
        item.quantity = q;
    }
    let proposal = Proposal {
        service_code: service,
        items: proposed,
        participants,
        declaration_signed: declaration,
        date,
        requested_on: None,
        format,
        selection,
    };
    // The SME's history, eligibility verdict and the budget's usage come from the database.
    let result = agreement::check_proposal(conn, sme.id, &proposal, today(), None)?;
    if json {
        print_json(&check_json(&result));
    } else {
        print_check(&sme.input.full_name, &proposal, &result);
    }
    Ok(if result.signable {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn check_json(r: &CofinancingCheck) -> serde_json::Value {
    let items: Vec<_> = r
        .items
        .iter()
        .map(|i| {
            json!({
                "item_code": i.item_code,
                "cost": plain(i.cost),
                "state_fees": plain(i.state_fees),
                "min_sme_share": plain(i.min_sme_share),
                "sme_share": plain(i.sme_share),
                "centre_share": plain(i.centre_share),
                "cap": i.cap.as_ref().map(|c| json!({
                    "cap": plain(c.cap), "used": plain(c.used), "this_request": plain(c.this_request), "remaining": plain(c.remaining)
                })),
            })
        })
        .collect();
    json!({
        "signable": r.signable,
        "cost": plain(r.cost),
        "state_fees": plain(r.state_fees),
        "min_sme_share": plain(r.min_sme_share),
        "sme_share": plain(r.sme_share),
        "centre_share": plain(r.centre_share),
        "items": items,
        "violations": r.violations.iter().map(|v| json!({
            "code": v.code.as_str(), "message": v.message, "source": v.source, "item_code": v.item_code
        })).collect::<Vec<_>>(),
        "warnings": r.warnings.iter().map(|w| json!({"code": w.code, "message": w.message, "source": w.source})).collect::<Vec<_>>(),
    })
}

fn print_check(sme_name: &str, p: &Proposal, r: &CofinancingCheck) {
    println!(
        "СМСП: {sme_name}; услуга {} на {}",
        p.service_code,
        p.date.format("%d.%m.%Y")
    );
    for i in &r.items {
        println!(
            "  {}: стоимость {}, минимальная доля СМСП {}, доля СМСП {}, доля ЦПЭ {}",
            i.item_code,
            format_rub(i.cost),
            format_rub(i.min_sme_share),
            format_rub(i.sme_share),
            format_rub(i.centre_share)
        );
        if !i.state_fees.is_zero() {
            println!("    в т. ч. пошлины за счёт ЦПЭ {}", format_rub(i.state_fees));
        }
        if let Some(c) = &i.cap {
            println!(
                "    лимит на 1 СМСП {}: использовано {}, по заявке {}, остаток {}",
                format_rub(c.cap),
                format_rub(c.used),
                format_rub(c.this_request),
                format_rub(c.remaining)
            );
        }
    }
    println!("Минимальная доля СМСП: {}", format_rub(r.min_sme_share));
    println!("Доля СМСП: {}", format_rub(r.sme_share));
    println!("Доля ЦПЭ: {}", format_rub(r.centre_share));
    for v in &r.violations {
        println!("НАРУШЕНИЕ [{}] {} ({})", v.code.as_str(), v.message, v.source);
    }
    for w in &r.warnings {
        println!("Предупреждение: {} ({})", w.message, w.source);
    }
    println!(
        "{}",
        if r.signable {
            "Можно подписывать"
        } else {
            "Подписывать нельзя"
        }
    );
}
