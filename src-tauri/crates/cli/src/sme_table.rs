//! `cpe sme import-table` and `cpe sme export`: the centre's own list of SMEs in and out of the registry as CSV or XLSX, with the mapping proposed from the headers.

use std::path::Path;
use std::process::ExitCode;

use cpe_core::audit::Ctx;
use cpe_core::db::Db;
use cpe_core::sme::{self, import_table, SmeQuery};
use cpe_core::CoreError;

/// Exit code when some rows had errors: the valid rows are still saved (unless a dry run), so
/// a script can tell "all rows in" from "some left out" without parsing the text.
const SOME_ROWS_INVALID: u8 = 2;

/// Checks every row of the table and saves the valid ones (none with `dry_run`); prints the counts
/// and every error, or with `json` the report as one JSON line.
pub fn import(
    conn: &mut Db,
    ctx: &Ctx,
    file: &Path,
    dry_run: bool,
    errors_out: Option<&Path>,
    json: bool,
) -> Result<ExitCode, CoreError> {
    let table = import_table::read_table(file)?;
    let mapping = import_table::propose_mapping(&table.headers);
    if !json {
        for (header, field) in table.headers.iter().zip(&mapping) {
            match field {
                Some(f) => println!("Колонка «{header}» → {}", f.label()),
                None => println!("Колонка «{header}» пропущена"),
            }
        }
    }
    let report = if dry_run {
        import_table::check(conn, &table, &mapping, ctx.now.date())?
    } else {
        import_table::save(conn, ctx, &table, &mapping)?
    };
    if let Some(out) = errors_out {
        import_table::write_errors_csv(&report.errors, out)?;
    }
    if json {
        println!("{}", serde_json::to_string(&report).expect("serialisable"));
    } else {
        for e in &report.errors {
            let column = e
                .column
                .as_deref()
                .map(|c| format!("колонка «{c}», "))
                .unwrap_or_default();
            println!("Строка {}: {column}{}", e.row, e.message);
        }
        println!(
            "Строк: {}, без ошибок: {}, с ошибками: {}",
            report.rows, report.valid, report.invalid
        );
        if dry_run {
            println!("Проверка без сохранения (--dry-run): ничего не сохранено");
        } else {
            println!("Сохранено: {}", report.saved);
        }
        if let Some(out) = errors_out {
            println!("Список ошибок: {}", out.display());
        }
    }
    Ok(if report.invalid > 0 {
        ExitCode::from(SOME_ROWS_INVALID)
    } else {
        ExitCode::SUCCESS
    })
}

/// Exports the registry, or the part of it `search` finds, by the file's extension (.csv or .xlsx).
pub fn export(conn: &mut Db, ctx: &Ctx, file: &Path, search: String) -> Result<ExitCode, CoreError> {
    let n = sme::export::export(
        conn,
        &SmeQuery {
            text: search.clone(),
            ..Default::default()
        },
        file,
    )?;
    cpe_core::audit::record_output(
        conn,
        ctx,
        "sme_list",
        "",
        cpe_core::audit::AuditAction::Export,
        &serde_json::json!({"title": "Реестр СМСП", "file": file.display().to_string(), "rows": n, "filter": search}),
    )?;
    println!("Выгружено СМСП: {n} → {}", file.display());
    Ok(ExitCode::SUCCESS)
}
