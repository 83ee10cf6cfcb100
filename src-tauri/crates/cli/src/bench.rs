//! `cpe bench SCENARIO`: one measured scenario per process, so the benchmark script can take each one's peak memory from `/usr/bin/time -v`; prints one JSON line with the figures.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use clap::Subcommand;
use cpe_core::audit::Ctx;
use cpe_core::db::Db;
use cpe_core::document::archive::{self, DocumentKind};
use cpe_core::document::{acts, records};
use cpe_core::sme::{self, SmeQuery};
use cpe_core::{agreement, fns_registry, CoreError};
use serde_json::json;

#[derive(Subcommand)]
pub enum BenchAction {
    /// Поиск в реестре СМСП (по заполненной базе): p50/p95 на запрос, и то же простым LIKE
    Search {
        #[arg(long, default_value_t = 30)]
        runs: usize,
    },
    /// Полная проверка софинансирования для СМСП с самой длинной историей
    Cofinancing {
        #[arg(long, default_value_t = 200)]
        runs: usize,
    },
    /// Один акт в PDF (первый в процессе — со шрифтами) и медиана следующих
    Act {
        #[arg(long, default_value_t = 30)]
        runs: usize,
    },
    /// 1 000 актов одним PDF
    Acts {
        #[arg(long, default_value_t = 1000)]
        count: usize,
    },
    /// Загрузка реестра МСП ФНС: создаёт XML заданного размера во временной папке, загружает, удаляет
    FnsImport {
        /// Размер файла, МБ
        #[arg(long, default_value_t = 2048)]
        size_mb: u64,
        /// Папка для временного файла
        #[arg(long)]
        work_dir: Option<PathBuf>,
        /// Регион центра (загружаются только его записи, как в программе)
        #[arg(long, default_value = "27")]
        region: String,
    },
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// (median, p95) of the samples in milliseconds.
fn percentiles(mut samples: Vec<f64>) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let at = |p: f64| samples[((samples.len() as f64 * p).ceil() as usize).saturating_sub(1)];
    (at(0.5), at(0.95))
}

fn timed<T>(runs: usize, mut f: impl FnMut() -> Result<T, CoreError>) -> Result<(f64, f64), CoreError> {
    f()?;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f()?);
        samples.push(ms(t.elapsed()));
    }
    Ok(percentiles(samples))
}

fn scalar<T: cpe_core::db::FromSql>(conn: &Db, sql: &str) -> Result<T, CoreError> {
    conn.query_row(sql, [], |r| r.get(0))
}

fn like_scan(conn: &Db, text: &str) -> Result<usize, CoreError> {
    let pattern = format!("%{}%", sme::fold(text));
    let total: i64 = conn.query_row("SELECT count(*) FROM sme WHERE search_text LIKE ?1", [&pattern], |r| {
        r.get(0)
    })?;
    // The plain list a naive program would show: sorted by name ignoring case, on either engine.
    let order = match conn.engine() {
        cpe_core::db::Engine::Sqlite => "full_name COLLATE NOCASE",
        cpe_core::db::Engine::Postgres => "lower(full_name)",
    };
    let rows = conn
        .query_map(
            &format!("SELECT id FROM sme WHERE search_text LIKE ?1 ORDER BY {order}, id LIMIT 200"),
            [&pattern],
            |r| r.get::<_, i64>(0),
        )?
        .len();
    Ok(total as usize + rows)
}

pub fn run(conn: &mut Db, ctx: &Ctx, action: BenchAction) -> Result<ExitCode, CoreError> {
    let out = match action {
        BenchAction::Search { runs } => {
            let smes: i64 = scalar(conn, "SELECT COUNT(*) FROM sme")?;
            let mut rows = Vec::new();
            let (mut all50, mut all95, mut like50) = (Vec::new(), Vec::new(), Vec::new());
            for text in ["демо", "амур", "2721", "образцов", "ооо демо-кедр", "примеро"]
            {
                let q = SmeQuery {
                    text: text.into(),
                    ..Default::default()
                };
                let (p50, p95) = timed(runs, || sme::list(conn, &q))?;
                let (l50, l95) = timed(runs.min(10), || like_scan(conn, text))?;
                all50.push(p50);
                all95.push(p95);
                like50.push(l50);
                rows.push(json!({"query": text, "p50_ms": p50, "p95_ms": p95, "like_p50_ms": l50, "like_p95_ms": l95}));
            }
            let (p50, _) = percentiles(all50);
            let (_, p95) = percentiles(all95);
            let (l50, _) = percentiles(like50);
            json!({"scenario": "search", "smes": smes, "p50_ms": p50, "p95_ms": p95, "like_p50_ms": l50, "queries": rows})
        }
        BenchAction::Cofinancing { runs } => {
            let (sme_id, n): (i64, i64) = conn.query_row(
                "SELECT sme_id, COUNT(*) AS n FROM agreement WHERE status <> 'draft' GROUP BY sme_id ORDER BY n DESC, sme_id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let (id, on): (i64, NaiveDate) = conn.query_row(
                "SELECT id, signed_on FROM agreement WHERE sme_id = ?1 AND status <> 'draft' ORDER BY date DESC LIMIT 1",
                [sme_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let agreements: i64 = scalar(conn, "SELECT COUNT(*) FROM agreement")?;
            // The year's budget usage is kept until the data changes: checks while a form is
            // edited find it kept; the first check after any change (a colleague's) reads it again.
            let (p50, p95) = timed(runs, || agreement::check_agreement(conn, id, on))?;
            let (after_change_p50, after_change_p95) = timed(runs, || {
                conn.forget_kept();
                agreement::check_agreement(conn, id, on)
            })?;
            json!({"scenario": "cofinancing", "agreements_in_db": agreements, "sme_agreements": n, "p50_ms": p50, "p95_ms": p95,
                   "after_change_p50_ms": after_change_p50, "after_change_p95_ms": after_change_p95})
        }
        BenchAction::Act { runs } => {
            let id: i64 = scalar(conn, "SELECT id FROM act ORDER BY id LIMIT 1")?;
            let now = ctx.now;
            let t = Instant::now();
            let first = archive::render(conn, DocumentKind::Act, id, now)?;
            let first_ms = ms(t.elapsed());
            let (p50, p95) = timed(runs, || archive::render(conn, DocumentKind::Act, id, now))?;
            json!({"scenario": "act", "first_ms": first_ms, "p50_ms": p50, "p95_ms": p95, "bytes": first.len()})
        }
        BenchAction::Acts { count } => {
            let from: NaiveDate = scalar(conn, "SELECT MIN(date) FROM act")?;
            // The period that holds `count` acts, or all of them when there are fewer.
            let to: NaiveDate = conn.query_row(
                "SELECT date FROM act ORDER BY date, id LIMIT 1 OFFSET MIN(?1, (SELECT COUNT(*) - 1 FROM act))",
                [count.saturating_sub(1) as i64],
                |r| r.get(0),
            )?;
            let ids = records::acts_in_period(conn, from, to)?;
            // Read, laid out and rendered, as the first print of the period: the archive below
            // renders only when it does not hold the same batch already (an earlier run on the
            // same data), so its own time alone would measure a lookup then.
            let t = Instant::now();
            let docs = ids
                .iter()
                .map(|&id| records::act_doc(conn, id))
                .collect::<Result<Vec<_>, _>>()?;
            let pdf = acts::batch_pdf(&docs, None, "Акты", ctx.now)?;
            let total_ms = ms(t.elapsed());
            // Then archived, as the app and `cpe pdf acts` do.
            let t = Instant::now();
            let (n, doc) = archive::acts_batch(conn, ctx, from, to)?;
            let archive_ms = ms(t.elapsed());
            json!({"scenario": "acts", "acts": n, "acts_in_period": ids.len(), "ms": total_ms, "bytes": pdf.len(),
                   "archive_ms": archive_ms, "archived_bytes": doc.size})
        }
        BenchAction::FnsImport {
            size_mb,
            work_dir,
            region,
        } => {
            let dir = work_dir.unwrap_or_else(std::env::temp_dir);
            let path = dir.join(format!("cpe-bench-rsmp-{}.xml", std::process::id()));
            let t = Instant::now();
            let written = fns_registry::write_synthetic(&path, size_mb * 1024 * 1024)
                .map_err(|e| CoreError::storage(format!("Не удалось записать {}: {e}", path.display())))?;
            let write_s = t.elapsed().as_secs_f64();
            let result = fns_registry::import(
                conn,
                ctx,
                std::slice::from_ref(&path),
                std::slice::from_ref(&region),
                &mut |_| {},
                &AtomicBool::new(false),
            );
            let _ = std::fs::remove_file(&path);
            let s = result?;
            json!({"scenario": "fns_import", "bytes": written, "write_s": write_s, "seconds": s.seconds,
                   "mb_per_s": s.mb_per_s, "records_seen": s.snapshot.records_seen,
                   "records_imported": s.snapshot.records_imported, "region": region})
        }
    };
    println!("{out}");
    Ok(ExitCode::SUCCESS)
}
