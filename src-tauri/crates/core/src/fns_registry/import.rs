//! Importing registry files (ZIP archives of XML, or bare XML) into one snapshot: streaming, region filter, progress, cancellation, written in short batches into a hidden snapshot that replaces the old one in one step.
//!
//! Memory stays constant whatever the input: archives are decompressed entry by entry through
//! a streaming XML reader (a token longer than `parse::MAX_TOKEN` is refused), records are written
//! a batch at a time, and nothing is collected but counters and a few examples.
//!
//! Colleagues keep working during an import: the records go into a snapshot whose state date is
//! still a mark (`~` and its id) — no list, lookup or eligibility check sees it — in transactions of at most
//! [`BATCH`] records or [`BATCH_TIME`], so a save elsewhere waits for one batch, not for the whole
//! import (a single transaction held the write lock for minutes and made every save fail after the
//! 10-second busy timeout). The last step gives the snapshot its date and hides the snapshot it
//! replaces in one short transaction, with the journal entries. A cancelled or failed import
//! removes its hidden snapshot in batches and leaves the earlier ones untouched; one left by a
//! crash is removed by the next import.

use crate::staff::Right;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::db::Db;
use crate::params;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::parse::DocumentReader;
use super::{store, FnsRecord, FnsSnapshot};
use crate::audit::{self, AuditAction, Ctx};
use crate::error::{CoreError, ErrorCode, Result};
use crate::ident;

/// How often (in `Документ` elements read) progress is reported.
const PROGRESS_EVERY: u64 = 4096;
/// How often the cancel flag is looked at: cheap, but not free for every record.
const CANCEL_EVERY: u64 = 256;
/// How many skipped records are described in the summary (all are counted).
const SKIPPED_EXAMPLES: usize = 20;
/// The most records, and the longest time, one write transaction of an import takes.
pub const BATCH: usize = 5_000;
pub const BATCH_TIME: std::time::Duration = std::time::Duration::from_millis(200);
/// A hidden snapshot older than this is a leftover of an import that died, not one running now.
const LEFTOVER_HOURS: i64 = 6;

/// Where an import stands, reported to the caller every few thousand records and after each file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    pub files_done: u32,
    pub files_total: u32,
    /// The file being read («архив.zip: файл.xml»).
    pub current_file: String,
    pub records_seen: u64,
    pub records_imported: u64,
    pub records_skipped: u64,
    /// Records whose INN came again (the later one is kept).
    pub records_duplicate: u64,
    /// Bytes of XML read so far (uncompressed).
    pub bytes_read: u64,
    /// Bytes of XML in all files (uncompressed sizes as the archives declare them).
    pub bytes_total: u64,
    /// Reading speed since the start, megabytes (10^6 bytes) of XML per second.
    pub mb_per_s: f64,
}

/// The outcome of an import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportSummary {
    pub snapshot: FnsSnapshot,
    /// A snapshot of the same date and regions existed and was replaced.
    pub replaced: bool,
    /// Up to 20 skipped records, each with its file, document id and the reason.
    pub skipped_examples: Vec<String>,
    /// Up to 20 INNs that came more than once (all are counted in the snapshot).
    pub duplicate_inns: Vec<String>,
    pub seconds: f64,
    pub mb_per_s: f64,
}

/// One XML stream to read: a bare file, or an entry of an archive.
struct Source {
    path: PathBuf,
    /// Index and name of the entry inside a ZIP archive.
    entry: Option<(usize, String)>,
    size: u64,
}

impl Source {
    fn label(&self) -> String {
        let file = file_name(&self.path);
        match &self.entry {
            Some((_, name)) => format!("{file}: {name}"),
            None => file,
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn file_error(path: &Path, what: impl std::fmt::Display) -> CoreError {
    CoreError::new(ErrorCode::File, format!("Файл {}: {what}", path.display()))
}

fn open(path: &Path) -> Result<File> {
    File::open(path).map_err(|e| {
        file_error(
            path,
            format!("не удаётся открыть ({e}). Проверьте путь и права доступа."),
        )
    })
}

fn is_zip(path: &Path) -> Result<bool> {
    let mut magic = [0u8; 4];
    let mut f = open(path)?;
    let n = f.read(&mut magic).map_err(|e| file_error(path, e))?;
    Ok(n == 4 && magic == *b"PK\x03\x04")
}

fn open_zip(path: &Path) -> Result<zip::ZipArchive<BufReader<File>>> {
    zip::ZipArchive::new(BufReader::new(open(path)?)).map_err(|e| {
        file_error(
            path,
            format!("архив ZIP повреждён или не дочитан ({e}). Скачайте выгрузку заново."),
        )
    })
}

/// Lists the XML streams of the given files in order: every `.xml` entry of an archive (other
/// entries are ignored), or the file itself.
fn sources(paths: &[PathBuf]) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    for path in paths {
        if !is_zip(path)? {
            let size = std::fs::metadata(path).map_err(|e| file_error(path, e))?.len();
            out.push(Source {
                path: path.clone(),
                entry: None,
                size,
            });
            continue;
        }
        let mut zip = open_zip(path)?;
        let before = out.len();
        for i in 0..zip.len() {
            let entry = zip
                .by_index_raw(i)
                .map_err(|e| file_error(path, format!("запись № {} архива не читается ({e})", i + 1)))?;
            let name = entry.name().map_err(|e| file_error(path, e))?.into_owned();
            if !entry.is_dir() && name.to_lowercase().ends_with(".xml") {
                out.push(Source {
                    path: path.clone(),
                    entry: Some((i, name)),
                    size: entry.size(),
                });
            }
        }
        if out.len() == before {
            return Err(file_error(
                path,
                "в архиве нет файлов XML — это не выгрузка реестра МСП",
            ));
        }
    }
    if out.is_empty() {
        return Err(CoreError::new(
            ErrorCode::File,
            "Не указан ни один файл выгрузки реестра МСП",
        ));
    }
    Ok(out)
}

/// Sorted, deduplicated, validated region codes.
fn normalise_regions(regions: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for r in regions {
        let r = r.trim();
        ident::validate_region_code(r).map_err(|e| CoreError::field("regions", format!("Регион для загрузки: {e}")))?;
        out.push(r.to_owned());
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Counters of a running import.
struct Run<'p> {
    progress: ImportProgress,
    bytes_before_file: u64,
    started: Instant,
    state_date: Option<(NaiveDate, String)>,
    format_version: String,
    skipped_examples: Vec<String>,
    duplicate_inns: Vec<String>,
    report: &'p mut dyn FnMut(&ImportProgress),
    /// Records read and not yet written.
    batch: Vec<FnsRecord>,
    batch_started: Instant,
}

impl Run<'_> {
    fn emit(&mut self, bytes_in_file: u64) {
        self.progress.bytes_read = self.bytes_before_file + bytes_in_file;
        let secs = self.started.elapsed().as_secs_f64();
        self.progress.mb_per_s = if secs > 0.0 {
            self.progress.bytes_read as f64 / 1e6 / secs
        } else {
            0.0
        };
        (self.report)(&self.progress);
    }
}

/// Imports registry files into one snapshot filtered to `regions` (empty = all regions).
///
/// A cancelled (`cancel` set) or failed import leaves every earlier snapshot as it was. A
/// malformed file stops the import with a message naming the file and the position; a malformed
/// record is skipped and counted, a repeated INN counted (the later record kept). Importing the
/// same state date and regions again replaces that snapshot. All files must be of one state date.
pub fn import(
    conn: &mut Db,
    ctx: &Ctx,
    paths: &[PathBuf],
    regions: &[String],
    progress: &mut dyn FnMut(&ImportProgress),
    cancel: &AtomicBool,
) -> Result<ImportSummary> {
    ctx.require(Right::Imports)?;
    let regions = normalise_regions(regions)?;
    let sources = sources(paths)?;
    let cutoff = (ctx.now - chrono::Duration::hours(LEFTOVER_HOURS))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    for id in store::leftovers(conn, &cutoff)? {
        store::purge(conn, id)?;
    }
    let mut run = Run {
        progress: ImportProgress {
            files_total: sources.len() as u32,
            bytes_total: sources.iter().map(|s| s.size).sum(),
            ..Default::default()
        },
        bytes_before_file: 0,
        started: Instant::now(),
        state_date: None,
        format_version: String::new(),
        skipped_examples: Vec::new(),
        duplicate_inns: Vec::new(),
        report: progress,
        batch: Vec::with_capacity(BATCH),
        batch_started: Instant::now(),
    };
    // The hidden snapshot: no state date (`~` and its id) until the last step.
    let snapshot_id: i64 = {
        let tx = conn.write(ctx, Right::Imports)?;
        let id = tx.query_row(
            "INSERT INTO fns_snapshot (state_date, regions, source_files, format_version, records_seen, records_imported,
             records_skipped, imported_at, imported_by) VALUES ('~', ?1, '', '', 0, 0, 0, ?2, ?3) RETURNING id",
            params![regions.join(","), ctx.stamp(), ctx.actor],
            |r| r.get(0),
        )?;
        store::hide(&tx, id)?;
        tx.commit()?;
        id
    };
    let outcome = read_all(conn, &sources, &regions, &mut run, snapshot_id, cancel)
        .and_then(|()| switch(conn, ctx, &sources, &regions, &mut run, snapshot_id, cancel));
    match outcome {
        Ok(summary) => Ok(summary),
        Err(e) => {
            // Whatever went wrong, the hidden snapshot goes; a failure to remove it now is
            // repaired by the next import.
            let _ = store::purge(conn, snapshot_id);
            Err(e)
        }
    }
}

fn read_all(
    conn: &mut Db,
    sources: &[Source],
    regions: &[String],
    run: &mut Run,
    snapshot_id: i64,
    cancel: &AtomicBool,
) -> Result<()> {
    let mut archive: Option<(PathBuf, zip::ZipArchive<BufReader<File>>)> = None;
    for source in sources {
        run.progress.current_file = source.label();
        run.emit(0);
        let bytes = match &source.entry {
            None => read_source(
                BufReader::new(open(&source.path)?),
                source,
                regions,
                run,
                conn,
                snapshot_id,
                cancel,
            )?,
            Some((index, _)) => {
                if !matches!(&archive, Some((p, _)) if p == &source.path) {
                    archive = Some((source.path.clone(), open_zip(&source.path)?));
                }
                let (_, zip) = archive.as_mut().expect("opened above");
                let entry = zip
                    .by_index(*index)
                    .map_err(|e| file_error(&source.path, format!("{}: не распаковывается ({e})", source.label())))?;
                read_source(
                    BufReader::with_capacity(256 * 1024, entry),
                    source,
                    regions,
                    run,
                    conn,
                    snapshot_id,
                    cancel,
                )?
            }
        };
        run.bytes_before_file += bytes;
        run.progress.files_done += 1;
        run.emit(0);
    }
    flush(conn, run, snapshot_id)
}

/// Writes the records read so far in one short transaction.
fn flush(conn: &mut Db, run: &mut Run, snapshot_id: i64) -> Result<()> {
    if run.batch.is_empty() {
        return Ok(());
    }
    let tx = conn.write_unchecked()?;
    for record in &run.batch {
        if store::insert(&tx, snapshot_id, record)? {
            run.progress.records_imported += 1;
        } else {
            run.progress.records_duplicate += 1;
            if run.duplicate_inns.len() < SKIPPED_EXAMPLES && !run.duplicate_inns.contains(&record.inn) {
                run.duplicate_inns.push(record.inn.clone());
            }
        }
    }
    tx.commit()?;
    run.batch.clear();
    run.batch_started = Instant::now();
    Ok(())
}

/// The last step, in one short transaction: the new snapshot gets its date and counts, the one
/// it replaces is hidden (its records are removed afterwards), both with their journal entries.
fn switch(
    conn: &mut Db,
    ctx: &Ctx,
    sources: &[Source],
    regions: &[String],
    run: &mut Run,
    snapshot_id: i64,
    cancel: &AtomicBool,
) -> Result<ImportSummary> {
    let Some((state_date, _)) = run.state_date.clone() else {
        return Err(CoreError::new(
            ErrorCode::File,
            "В файлах нет ни одной записи реестра МСП (элементов «Документ») — загружать нечего",
        ));
    };
    if cancel.load(Ordering::Relaxed) {
        return Err(cancelled());
    }
    let date = state_date.format("%Y-%m-%d").to_string();
    let tx = conn.write(ctx, Right::Imports)?;
    let old: Option<FnsSnapshot> = store::list_snapshots(&tx)?
        .into_iter()
        .find(|s| s.state_date == state_date && s.regions == regions);
    if let Some(old) = &old {
        store::hide(&tx, old.id)?;
        audit::record(&tx, ctx, "fns_snapshot", old.id, AuditAction::Delete, Some(old), None)?;
    }
    let files: Vec<String> = sources.iter().map(Source::label).collect();
    tx.execute(
        "UPDATE fns_snapshot SET state_date = ?1, source_files = ?2, format_version = ?3, records_seen = ?4,
         records_imported = ?5, records_skipped = ?6, records_duplicate = ?7 WHERE id = ?8",
        params![
            date,
            files.join("\n"),
            run.format_version,
            run.progress.records_seen as i64,
            run.progress.records_imported as i64,
            run.progress.records_skipped as i64,
            run.progress.records_duplicate as i64,
            snapshot_id
        ],
    )?;
    let snapshot = store::snapshot(&tx, snapshot_id)?;
    audit::record(
        &tx,
        ctx,
        "fns_snapshot",
        snapshot_id,
        AuditAction::Create,
        None,
        Some(&snapshot),
    )?;
    tx.commit()?;
    if let Some(old) = &old {
        store::purge(conn, old.id)?;
    }
    run.emit(0);
    Ok(ImportSummary {
        snapshot,
        replaced: old.is_some(),
        skipped_examples: std::mem::take(&mut run.skipped_examples),
        duplicate_inns: std::mem::take(&mut run.duplicate_inns),
        seconds: run.started.elapsed().as_secs_f64(),
        mb_per_s: run.progress.mb_per_s,
    })
}

fn cancelled() -> CoreError {
    CoreError::new(
        ErrorCode::Cancelled,
        "Загрузка выгрузки реестра МСП отменена; ранее загруженные выгрузки не изменены",
    )
}

/// Reads one XML stream into the snapshot; returns the bytes of XML it held.
fn read_source(
    input: impl std::io::BufRead,
    source: &Source,
    regions: &[String],
    run: &mut Run,
    conn: &mut Db,
    snapshot_id: i64,
    cancel: &AtomicBool,
) -> Result<u64> {
    let label = source.label();
    let mut reader = DocumentReader::new(input, format!("Файл {label}"))?;
    while let Some(doc) = reader.next_document()? {
        run.progress.records_seen += 1;
        let seen = run.progress.records_seen;
        if seen % CANCEL_EVERY == 0 && cancel.load(Ordering::Relaxed) {
            return Err(cancelled());
        }
        // The state date of the snapshot comes from every record, filtered or not, so that a
        // filter that keeps nothing still yields a dated (empty) snapshot.
        if let Ok(date) = NaiveDate::parse_from_str(&doc.state_date, "%d.%m.%Y") {
            match &run.state_date {
                None => run.state_date = Some((date, label.clone())),
                Some((first, first_file)) if *first != date => {
                    return Err(CoreError::new(
                        ErrorCode::File,
                        format!(
                            "Файлы относятся к разным датам состояния реестра: {} в «{first_file}» и {} в «{label}». \
                             Загрузите каждую выгрузку отдельно; ничего не сохранено.",
                            first.format("%d.%m.%Y"),
                            date.format("%d.%m.%Y")
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        if regions.is_empty() || regions.contains(&doc.region_code) {
            match doc.to_record() {
                Ok((_, record)) => {
                    run.batch.push(record);
                    if run.batch.len() >= BATCH || run.batch_started.elapsed() >= BATCH_TIME {
                        flush(conn, run, snapshot_id)?;
                    }
                }
                Err(reason) => {
                    run.progress.records_skipped += 1;
                    if run.skipped_examples.len() < SKIPPED_EXAMPLES {
                        run.skipped_examples
                            .push(format!("{label}, документ {}: {reason}", doc.doc_id));
                    }
                }
            }
        }
        if seen % PROGRESS_EVERY == 0 {
            let bytes = reader.bytes_read();
            run.emit(bytes);
        }
    }
    if run.format_version.is_empty() {
        run.format_version = reader.format_version().to_owned();
    }
    Ok(reader.bytes_read())
}
