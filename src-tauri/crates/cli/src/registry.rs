//! `cpe sme import-fns | check | snapshots | delete-snapshot`: the tax service's SME registry and eligibility checks from a terminal.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::Subcommand;
use cpe_core::audit::Ctx;
use cpe_core::db::Db;
use cpe_core::eligibility::{self, CheckSource, CriterionResult, Outcome, Verdict};
use cpe_core::fns_registry::{self, ImportProgress};
use cpe_core::sme::{self, SmeKind};
use cpe_core::{ident, CoreError};
use serde::Serialize;

#[derive(Subcommand)]
pub enum RegistryAction {
    /// Загрузить выгрузку «Единого реестра субъектов МСП» ФНС (ZIP или XML) как один снимок
    ImportFns {
        /// Файлы выгрузки: архивы ZIP или файлы XML одной даты
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Код региона, записи которого сохранить (можно несколько раз); без него — все регионы
        #[arg(long = "region", value_name = "КОД")]
        regions: Vec<String>,
        /// Последней строкой вывести {"imported": N, "skipped": M, "snapshot_date": "ГГГГ-ММ-ДД"}
        #[arg(long)]
        json: bool,
    },
    /// Соответствие СМСП требованиям п. 4 регламента: текущий вердикт и причины
    Check {
        inn: String,
        #[arg(long)]
        json: bool,
    },
    /// Загруженные выгрузки реестра МСП
    Snapshots {
        #[arg(long)]
        json: bool,
    },
    /// Удалить загруженную выгрузку реестра МСП (проверки, сделанные по ней, сохраняют её дату)
    DeleteSnapshot { id: i64 },
}

pub fn run(action: RegistryAction, conn: &mut Db, ctx: &Ctx, data_dir: &Path) -> Result<ExitCode, CoreError> {
    match action {
        RegistryAction::ImportFns { paths, regions, json } => {
            // The file is copied first; the server's copies are its administrator's (pg_dump).
            if conn.sqlite().is_some() {
                cpe_core::backup::create(conn, data_dir, cpe_core::backup::BackupKind::BeforeImport, ctx.now)?;
            }
            import(conn, ctx, &paths, &regions, json)?
        }
        RegistryAction::Check { inn, json } => return check(conn, ctx, inn.trim(), json),
        RegistryAction::Snapshots { json } => {
            let list = fns_registry::list_snapshots(conn)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list).expect("serialisable"));
            } else if list.is_empty() {
                println!("Выгрузки реестра МСП не загружены");
            }
            for s in list.iter().filter(|_| !json) {
                println!(
                    "{}\t{}\t{}\tзаписей {}, пропущено {}, повторов ИНН {}\tзагружено {} ({})\t{} файл(ов)",
                    s.id,
                    s.state_date.format("%d.%m.%Y"),
                    if s.regions.is_empty() {
                        "все регионы".to_owned()
                    } else {
                        s.regions.join(",")
                    },
                    s.records_imported,
                    s.records_skipped,
                    s.records_duplicate,
                    s.imported_at,
                    s.imported_by,
                    s.source_files.len()
                );
            }
        }
        RegistryAction::DeleteSnapshot { id } => {
            let s = fns_registry::snapshot(conn, id)?;
            fns_registry::delete_snapshot(conn, ctx, id)?;
            println!("Удалена {}", s.title());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn progress_line(p: &ImportProgress) -> String {
    format!(
        "файлы {}/{}, записей прочитано {}, сохранено {}, пропущено {}, повторов ИНН {}; {:.1} из {:.1} МБ, {:.1} МБ/с — {}",
        p.files_done,
        p.files_total,
        p.records_seen,
        p.records_imported,
        p.records_skipped,
        p.records_duplicate,
        p.bytes_read as f64 / 1e6,
        p.bytes_total as f64 / 1e6,
        p.mb_per_s,
        p.current_file
    )
}

fn import(conn: &mut Db, ctx: &Ctx, paths: &[PathBuf], regions: &[String], json: bool) -> Result<(), CoreError> {
    // Nothing sets the flag from a terminal yet: Ctrl+C ends the process, and the open
    // transaction is then rolled back by SQLite, which is the same outcome.
    let cancel = AtomicBool::new(false);
    let summary = fns_registry::import(
        conn,
        ctx,
        paths,
        regions,
        &mut |p| eprintln!("{}", progress_line(p)),
        &cancel,
    )?;
    let s = &summary.snapshot;
    for example in &summary.skipped_examples {
        eprintln!("Пропущена запись: {example}");
    }
    if s.records_duplicate > 0 {
        eprintln!(
            "Повторы ИНН в выгрузке: {} записей (из повторов сохранена последняя); ИНН (до 20): {}",
            s.records_duplicate,
            summary.duplicate_inns.join(", ")
        );
    }
    let replaced = if summary.replaced {
        " (заменила прежнюю загрузку той же даты и регионов)"
    } else {
        ""
    };
    eprintln!(
        "Загружена {}{replaced}: сохранено {}, пропущено {}, повторов ИНН {}, всего прочитано {} за {:.2} с ({:.1} МБ/с)",
        s.title(),
        s.records_imported,
        s.records_skipped,
        s.records_duplicate,
        s.records_seen,
        summary.seconds,
        summary.mb_per_s
    );
    if json {
        // The exact shape scripts read from the last line.
        println!(
            "{{\"imported\": {}, \"skipped\": {}, \"duplicate\": {}, \"snapshot_date\": \"{}\"}}",
            s.records_imported,
            s.records_skipped,
            s.records_duplicate,
            s.state_date.format("%Y-%m-%d")
        );
    } else {
        println!(
            "Снимок № {}: {}, сохранено записей {}, пропущено {}, повторов ИНН {}",
            s.id,
            s.title(),
            s.records_imported,
            s.records_skipped,
            s.records_duplicate
        );
    }
    Ok(())
}

/// What `cpe sme check --json` prints.
#[derive(Serialize)]
struct CheckReport {
    inn: String,
    /// The SME's number in the centre's registry, if it is there.
    sme_id: Option<i64>,
    verdict: Verdict,
    reasons: Vec<String>,
    failed: Vec<eligibility::Criterion>,
    /// The criteria of the newest check, or only the automatic ones (1–2) when none was recorded.
    criteria: Vec<CriterionResult>,
    source: Option<CheckSource>,
    checked_at: Option<String>,
    checked_by: Option<String>,
}

fn check(conn: &Db, ctx: &Ctx, inn: &str, json: bool) -> Result<ExitCode, CoreError> {
    let inn_kind = ident::validate_inn(inn).map_err(|e| CoreError::field("inn", e))?;
    let known = sme::get_by_inn(conn, inn)?;
    let today = ctx.now.date();
    let current = match &known {
        Some(s) => Some(eligibility::current(conn, s.id, today)?).filter(|v| v.check.is_some()),
        None => None,
    };
    let report = match current {
        Some(v) => {
            let check = v.check.expect("filtered on a check");
            CheckReport {
                inn: inn.to_owned(),
                sme_id: Some(check.sme_id),
                verdict: v.verdict,
                reasons: v.reasons,
                failed: v.failed,
                criteria: check.criteria,
                source: Some(check.source),
                checked_at: Some(check.checked_at),
                checked_by: Some(check.checked_by),
            }
        }
        None => {
            let kind = match (&known, inn_kind) {
                (Some(s), _) => s.input.kind,
                (None, ident::InnKind::Organisation) => SmeKind::LegalEntity,
                (None, ident::InnKind::Person) => SmeKind::SoleProprietor,
            };
            let (source, criteria) = eligibility::automatic(conn, inn, kind)?;
            let mut reasons = vec![if known.is_some() {
                "Проверка соответствия ещё не проводилась".to_owned()
            } else {
                "СМСП нет в реестре центра; проверка не проводилась".to_owned()
            }];
            reasons.push("Остальные критерии (п. 4.2; п. 4.3, пп. 3–8) проверяет сотрудник центра".into());
            let failed = criteria
                .iter()
                .filter(|c| c.outcome == Outcome::Fail)
                .map(|c| c.criterion)
                .collect();
            CheckReport {
                inn: inn.to_owned(),
                sme_id: known.as_ref().map(|s| s.id),
                verdict: Verdict::NeedsRecheck,
                reasons,
                failed,
                criteria,
                source,
                checked_at: None,
                checked_by: None,
            }
        }
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&report).expect("serialisable"));
        return Ok(ExitCode::SUCCESS);
    }
    println!("ИНН {}: {}", report.inn, report.verdict.label());
    for r in &report.reasons {
        println!("  {r}");
    }
    match (&report.checked_at, &report.checked_by) {
        (Some(at), Some(by)) => println!("Проверка: {at}, {by}"),
        _ => println!("Проверка не записана; по выгрузке реестра МСП:"),
    }
    match &report.source {
        Some(CheckSource::Snapshot { state_date, .. }) => {
            println!("Источник: выгрузка реестра МСП на {}", state_date.format("%d.%m.%Y"))
        }
        Some(CheckSource::Manual { comment }) => {
            println!("Источник: проверено вручную — {comment}")
        }
        None => {}
    }
    for c in &report.criteria {
        println!("  [{}] {} — {}", c.outcome.label(), c.criterion.label(), c.reason);
    }
    Ok(ExitCode::SUCCESS)
}
