//! `cpe demo`: fills an empty data directory with the core's deterministic demo data and can re-check any database against the app's rules.

use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use cpe_core::db::Db;
use cpe_core::demo::{self, DemoOptions, Scale};
use cpe_core::CoreError;

#[derive(Clone, Copy, ValueEnum)]
pub enum ScaleArg {
    /// ~300 СМСП, ~1 000 заявок за 3 года
    Small,
    /// 2 300 СМСП, ~2 000 обслуженных и ~5 000 услуг в год за 2 года (размер цели годового отчёта)
    Medium,
    /// 100 000 СМСП, ~50 000 соглашений за 10 лет
    Large,
}

#[derive(Args)]
pub struct DemoArgs {
    /// Объём данных
    #[arg(long, value_enum, default_value = "small")]
    scale: ScaleArg,
    /// Зерно генератора: одно зерно — одни и те же данные
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Последний день истории (по умолчанию — сегодня)
    #[arg(long, value_name = "YYYY-MM-DD")]
    today: Option<NaiveDate>,
    /// После заполнения перепроверить все данные по правилам программы
    #[arg(long)]
    verify: bool,
    /// Только перепроверить уже заполненную базу
    #[arg(long, conflicts_with_all = ["verify"])]
    verify_only: bool,
    #[arg(long)]
    json: bool,
}

fn check(conn: &Db) -> Result<bool, CoreError> {
    let started = Instant::now();
    let problems = demo::verify::violations(conn)?;
    for p in problems.iter().take(50) {
        println!("{p}");
    }
    eprintln!(
        "Проверка: {} нарушений за {:.1} с",
        problems.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(problems.is_empty())
}

pub fn run(conn: &mut Db, args: DemoArgs) -> Result<ExitCode, CoreError> {
    if args.verify_only {
        return Ok(if check(conn)? {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        });
    }
    let opts = DemoOptions {
        scale: match args.scale {
            ScaleArg::Small => Scale::Small,
            ScaleArg::Medium => Scale::Medium,
            ScaleArg::Large => Scale::Large,
        },
        seed: args.seed,
        today: args.today.unwrap_or_else(|| chrono::Local::now().date_naive()),
    };
    let started = Instant::now();
    let summary = demo::generate(conn, &opts, &mut |line| {
        eprintln!("[{:>7.1} с] {line}", started.elapsed().as_secs_f64())
    })?;
    let seconds = started.elapsed().as_secs_f64();
    if args.json {
        let mut v = serde_json::to_value(&summary).expect("summary serialises");
        v["seconds"] = serde_json::json!(seconds);
        println!("{v}");
    } else {
        println!(
            "Демонстрационные данные за {seconds:.1} с: СМСП {}, проверок {}, исполнителей {}, заявок {} (отказов {}), \
             соглашений {} (расторгнуто {}), актов {}, платежей {}, просроченных платежей {}, экспортных контрактов {}, \
             консультаций {}, мероприятий {} (присутствий {}), конкурсных отборов {}",
            summary.smes,
            summary.eligibility_checks,
            summary.contractors,
            summary.applications,
            summary.refused,
            summary.agreements,
            summary.terminated,
            summary.acts,
            summary.payments,
            summary.overdue_payments,
            summary.export_contracts,
            summary.consultations,
            summary.events,
            summary.attendances,
            summary.selections
        );
    }
    let logins: Vec<String> = demo::DEMO_ACCOUNTS
        .iter()
        .map(|(_, _, login, role)| format!("{login} ({})", role.label()))
        .collect();
    eprintln!(
        "Вход в демонстрационную базу: {} — пароль {} (cpe --user ЛОГИН, пароль в CPE_PASSWORD)",
        logins.join(", "),
        demo::DEMO_PASSWORD
    );
    if args.verify && !check(conn)? {
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}
