//! `cpe audit list`: the journal of changes from a terminal — who, when, which record by name, what changed — with the filters of the app's «Журнал изменений».

use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Subcommand;
use cpe_core::audit::Ctx;
use cpe_core::db::Db;
use cpe_core::journal::{self, JournalQuery};
use cpe_core::CoreError;

#[derive(Subcommand)]
pub enum AuditAction {
    /// Записи журнала, новые первыми
    List {
        /// Одна запись: ВИД:ID, например agreement:12 или sme:7
        #[arg(long)]
        record: Option<String>,
        /// Вид записей (sme, agreement, act, application, payment, contractor, …)
        #[arg(long)]
        kind: Option<String>,
        /// Кто: логин учётной записи или имя сотрудника, как в журнале
        #[arg(long)]
        who: Option<String>,
        #[arg(long, value_parser = parse_date)]
        from: Option<NaiveDate>,
        #[arg(long, value_parser = parse_date)]
        to: Option<NaiveDate>,
        /// create, update, delete, print (печать), export (выгрузка в файл), login (вход) или login_failed (неудачный вход)
        #[arg(long, value_parser = ["create", "update", "delete", "print", "export", "login", "login_failed"])]
        action: Option<String>,
        /// Слова в имени, значениях или ИД (регистр не важен)
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
        #[arg(long)]
        json: bool,
        /// Выгрузить найденные записи в файл XLSX (по строке на изменённое поле)
        #[arg(long)]
        xlsx: Option<std::path::PathBuf>,
    },
}

pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s.trim(), "%d.%m.%Y"))
        .map_err(|_| format!("«{s}»: нужна дата в виде ГГГГ-ММ-ДД, например 2025-03-14"))
}

pub fn run(conn: &mut Db, ctx: &Ctx, action: AuditAction) -> Result<ExitCode, CoreError> {
    let AuditAction::List {
        record,
        kind,
        who,
        from,
        to,
        action,
        search,
        limit,
        offset,
        json,
        xlsx,
    } = action;
    let (kind, entity_id) = match record.as_deref().map(|r| r.split_once(':')) {
        None => (kind, None),
        Some(Some((k, id))) if !k.is_empty() && !id.is_empty() => (Some(k.to_owned()), Some(id.to_owned())),
        Some(_) => {
            return Err(CoreError::field(
                "record",
                "--record: укажите вид и номер записи через двоеточие, например agreement:12",
            ))
        }
    };
    // A login names its account's person; anything else is the name as the journal has it.
    let who = who.map(|w| cpe_core::staff::by_login(conn, &w).map(|s| s.full_name).unwrap_or(w));
    let q = JournalQuery {
        actor: who,
        entity: kind,
        entity_id,
        action,
        from,
        to,
        search,
    };
    if let Some(path) = xlsx {
        let n = journal::export_xlsx(conn, &q, &path)?;
        cpe_core::audit::record_output(
            conn,
            ctx,
            "journal",
            "",
            cpe_core::audit::AuditAction::Export,
            &serde_json::json!({"title": "Журнал изменений", "file": path.display().to_string(), "rows": n}),
        )?;
        println!("Выгружено записей журнала: {n} — {}", path.display());
        return Ok(ExitCode::SUCCESS);
    }
    let page = journal::page(conn, &q, offset, limit)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&page).expect("serialisable"));
        return Ok(ExitCode::SUCCESS);
    }
    let more = if page.total_exact { "" } else { "не менее " };
    println!("Записей журнала: {more}{}", page.total);
    for e in &page.rows {
        println!(
            "{}\t{}\t{}\t{} «{}»",
            e.at.replace('T', " "),
            e.actor,
            e.action_label,
            e.entity_label,
            e.record_name
        );
        for c in &e.changes {
            match (c.before.is_empty(), c.after.is_empty()) {
                (true, _) => println!("\t\t{}: {}", c.label, c.after),
                (_, true) => println!("\t\t{}: было {}", c.label, c.before),
                _ => println!("\t\t{}: {} → {}", c.label, c.before, c.after),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
