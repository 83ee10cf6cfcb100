//! `cpe backup`: a copy now (to a chosen file or into the backup folder), the list of copies, and a restore that checks the copy first and keeps the replaced database.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use cpe_core::audit::Ctx;
use cpe_core::backup::{self, BackupFile, BackupKind};
use cpe_core::{db, CoreError};

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BackupArgs {
    /// Записать копию в этот файл (без подкоманды)
    file: Option<PathBuf>,
    #[command(subcommand)]
    action: Option<BackupAction>,
}

#[derive(Subcommand)]
pub enum BackupAction {
    /// Копии в папке резервных копий, новые сверху
    List {
        #[arg(long)]
        json: bool,
    },
    /// Сделать копию в папке резервных копий сейчас
    Create,
    /// Восстановить базу из копии: копия проверяется, текущая база сохраняется как копия «перед восстановлением»
    Restore { file: PathBuf },
}

fn line(b: &BackupFile) -> String {
    format!(
        "{}\t{}\t{:.1} МБ\t{}",
        b.created_at.format("%d.%m.%Y %H:%M:%S"),
        b.kind.label(),
        b.size as f64 / 1e6,
        b.path
    )
}

/// `cpe backup ФАЙЛ` on the centre's server: its data as of one moment in a new local file (which
/// opens on any computer), recorded in the journal as an export. The backup folder, its rotation
/// and restoring are the server administrator's (pg_dump / pg_restore, README).
pub fn run_on_server(args: BackupArgs, conn: &mut db::Db, ctx: &Ctx) -> Result<ExitCode, CoreError> {
    let (None, Some(file)) = (args.action, args.file) else {
        return Err(CoreError::storage(backup::SERVER_COPIES));
    };
    let copied = db::transfer::to_new_file(conn, &file, &mut |_| {})?;
    let rows: u64 = copied.iter().map(|c| c.rows).sum();
    let details = serde_json::json!({ "file": file.display().to_string(), "rows": rows });
    cpe_core::audit::record_output(conn, ctx, "database", 0, cpe_core::audit::AuditAction::Export, &details)?;
    println!("Копия данных сервера сохранена: {} (строк: {rows})", file.display());
    Ok(ExitCode::SUCCESS)
}

pub fn run(args: BackupArgs, data_dir: &Path, ctx: &Ctx) -> Result<ExitCode, CoreError> {
    match (args.action, args.file) {
        (None, Some(file)) => {
            let conn = db::open_in(data_dir)?;
            db::backup(&conn, &file)?;
            println!("Копия сохранена: {}", file.display());
        }
        (None, None) => {
            return Err(CoreError::field(
                "file",
                "Укажите файл копии (cpe backup ФАЙЛ) или подкоманду: list, create, restore",
            ))
        }
        (Some(BackupAction::List { json }), _) => {
            // A database that cannot be opened still shows the copies of the default folder.
            let list = match db::open_in(data_dir) {
                Ok(conn) => backup::list(&conn, data_dir)?,
                Err(_) => backup::list_default(data_dir)?,
            };
            if json {
                println!("{}", serde_json::to_string_pretty(&list).expect("serialisable"));
            } else if list.is_empty() {
                println!("Копий пока нет");
            } else {
                list.iter().for_each(|b| println!("{}", line(b)));
            }
        }
        (Some(BackupAction::Create), _) => {
            let conn = db::open_in(data_dir)?;
            let b = backup::create(&conn, data_dir, BackupKind::Manual, ctx.now)?;
            println!("Копия сохранена: {}", b.path);
        }
        (Some(BackupAction::Restore { file }), _) => match db::open_in(data_dir) {
            Ok(mut conn) => {
                let aside = backup::restore(&mut conn, ctx, data_dir, &file)?;
                println!(
                    "База восстановлена из {}; прежняя сохранена: {}",
                    file.display(),
                    aside.path
                );
            }
            Err(e) if e.code == cpe_core::ErrorCode::Storage => {
                let aside = backup::restore_over(data_dir, &file, ctx.now)?;
                println!(
                    "База не открывалась ({}); восстановлена из {}, повреждённый файл сохранён: {}",
                    e.message,
                    file.display(),
                    aside.display()
                );
            }
            Err(e) => return Err(e),
        },
    }
    Ok(ExitCode::SUCCESS)
}
