//! `cpe pdf …`: print-ready documents from the records (agreement, act, acts of a period, refusal, registry extract), each archived with its hash and version, and the archive itself (list, scan, signed).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Subcommand;
use cpe_core::audit::Ctx;
use cpe_core::db::Db;
use cpe_core::document::archive::{self, ArchiveQuery, ArchivedDocument, DocumentKind};
use cpe_core::document::records;
use cpe_core::CoreError;

use crate::application::{print_json, ru};

#[derive(Subcommand)]
pub enum PdfAction {
    /// Соглашение (два экземпляра) по номеру соглашения, например 1/2025-С
    Agreement {
        number: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Акт по коду акта из `cpe act list` (или по номеру акта с --agreement)
    Act {
        number: String,
        /// Номер соглашения, если указан номер акта внутри соглашения
        #[arg(long)]
        agreement: Option<String>,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Все акты за период в одном PDF (каждый — с новой страницы)
    Acts {
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        to: NaiveDate,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Уведомление об отказе по коду заявки
    Refusal {
        application: i64,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Выписка из реестра получателей поддержки по ИНН
    Extract {
        inn: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Архив документов (все версии, новые сверху)
    List {
        /// Только не отмеченные подписанными
        #[arg(long)]
        unsigned: bool,
        #[arg(long)]
        json: bool,
    },
    /// Прикрепить скан подписанного экземпляра (PDF, JPEG или PNG)
    Scan { id: i64, file: PathBuf },
    /// Отметить документ подписанным
    Sign {
        id: i64,
        #[arg(long)]
        date: NaiveDate,
    },
}

fn write(out: &Path, bytes: &[u8]) -> Result<(), CoreError> {
    std::fs::write(out, bytes)
        .map_err(|e| CoreError::field("out", format!("Не удалось записать {}: {e}", out.display())))
}

fn archived(conn: &mut Db, ctx: &Ctx, kind: DocumentKind, id: i64, out: &Path) -> Result<(), CoreError> {
    let doc = archive::generate(conn, ctx, kind, id)?;
    write(out, &archive::pdf(conn, doc.id)?)?;
    cpe_core::audit::record_output(
        conn,
        ctx,
        "document",
        doc.id,
        cpe_core::audit::AuditAction::Export,
        &serde_json::json!({"file": out.display().to_string()}),
    )?;
    println!(
        "{} № {} (версия {}, в архиве под кодом {}): {}",
        doc.kind.label(),
        doc.number,
        doc.version,
        doc.id,
        out.display()
    );
    Ok(())
}

fn line(d: &ArchivedDocument) -> String {
    let signed = d
        .signed_on
        .map(|s| format!("подписан {}", ru(s)))
        .unwrap_or_else(|| "не подписан".into());
    let scan = match (d.scan_name.as_deref(), d.scan_count) {
        (Some(s), 1) => format!("\tскан: {s}"),
        (Some(s), n) => format!("\tсканов: {n}, последний: {s}"),
        _ => String::new(),
    };
    format!(
        "{}\t{}\t№ {}\t{}\tверсия {}\t{signed}{scan}",
        d.id,
        d.kind.label(),
        d.number,
        ru(d.date),
        d.version
    )
}

pub fn pdf(conn: &mut Db, ctx: &Ctx, action: PdfAction) -> Result<ExitCode, CoreError> {
    match action {
        PdfAction::Agreement { number, out } => {
            let id = records::find_agreement(conn, &number)?;
            archived(conn, ctx, DocumentKind::Agreement, id, &out)?;
        }
        PdfAction::Act { number, agreement, out } => {
            let id = records::find_act(conn, &number, agreement.as_deref())?;
            archived(conn, ctx, DocumentKind::Act, id, &out)?;
        }
        PdfAction::Acts { from, to, out } => {
            let (n, doc) = archive::acts_batch(conn, ctx, from, to)?;
            write(&out, &archive::pdf(conn, doc.id)?)?;
            println!("Актов с {} по {}: {n} — {}", ru(from), ru(to), out.display());
        }
        PdfAction::Refusal { application, out } => {
            archived(conn, ctx, DocumentKind::Refusal, application, &out)?;
        }
        PdfAction::Extract { inn, out } => {
            let sme = cpe_core::sme::get_by_inn(conn, inn.trim())?
                .ok_or_else(|| CoreError::field("inn", format!("СМСП с ИНН {inn} нет в реестре: проверьте ИНН")))?;
            archived(conn, ctx, DocumentKind::Extract, sme.id, &out)?;
        }
        PdfAction::List { unsigned, json } => {
            let list = archive::list(
                conn,
                &ArchiveQuery {
                    unsigned_only: unsigned,
                    ..ArchiveQuery::default()
                },
            )?;
            if json {
                print_json(&list);
            } else {
                list.iter().for_each(|d| println!("{}", line(d)));
            }
        }
        PdfAction::Scan { id, file } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| CoreError::field("scan", format!("Не удалось прочитать {}: {e}", file.display())))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            println!("{}", line(&archive::attach_scan(conn, ctx, id, &name, &bytes)?));
        }
        PdfAction::Sign { id, date } => {
            println!("{}", line(&archive::mark_signed(conn, ctx, id, date)?));
        }
    }
    Ok(ExitCode::SUCCESS)
}
