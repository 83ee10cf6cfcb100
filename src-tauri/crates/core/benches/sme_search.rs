//! Benchmark of the SME list search at 100 000 records: typical keystroke sequences through `sme::list` (trigram index, matches found afresh) against the plain `LIKE` scan it replaced, and scrolling with kept matches (`SearchCache`); prints p50/p95 per query, then criterion's measurements.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use cpe_core::audit::Ctx;
use cpe_core::db::{self, Db};
use cpe_core::ident;
use cpe_core::sme::{self, import_table, SmeQuery};
use criterion::{criterion_group, criterion_main, Criterion};

const SMES: usize = 100_000;

const WORDS: &[&str] = &[
    "Амур",
    "Дальневосточный",
    "Рыбный",
    "Лесной",
    "Экспорт",
    "Хабаровск",
    "Восток",
    "Тайга",
    "Океан",
    "Кедр",
    "Транс",
    "Агро",
    "Пасека",
    "Мёд",
    "Сервис",
    "Торг",
    "Строй",
    "Север",
    "Бурея",
    "Уссури",
    "Приамурье",
    "Промысел",
    "Краб",
    "Лосось",
    "Соя",
    "Зерно",
    "Техно",
    "Логистик",
    "Металл",
    "Ресурс",
];
const SURNAMES: &[&str] = &[
    "Иванов",
    "Петров",
    "Кузнецов",
    "Смирнов",
    "Соколов",
    "Попов",
    "Лебедев",
    "Козлов",
    "Новиков",
    "Морозов",
    "Волков",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Захаров",
];
const NAMES: &[&str] = &[
    "Иван",
    "Пётр",
    "Анна",
    "Мария",
    "Сергей",
    "Ольга",
    "Дмитрий",
    "Елена",
    "Алексей",
    "Наталья",
];

/// A deterministic generator so every run measures the same data.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn fill(conn: &mut Db) {
    let mut rng = Lcg(27);
    let mut csv = String::from("Наименование;ИНН;Контактное лицо;Телефон;Код региона;Категория\n");
    for i in 0..SMES {
        let contact = format!(
            "{} {}",
            SURNAMES[rng.next(SURNAMES.len())],
            NAMES[rng.next(NAMES.len())]
        );
        let phone = format!(
            "+7 (4212) {:02}-{:02}-{:02}",
            rng.next(100),
            rng.next(100),
            rng.next(100)
        );
        let (name, inn) = if i % 4 == 3 {
            let who = format!(
                "{} {} {}ович",
                SURNAMES[rng.next(SURNAMES.len())],
                NAMES[rng.next(NAMES.len())],
                NAMES[rng.next(NAMES.len())]
            );
            (format!("ИП {who}"), ident::complete_inn12(&format!("27{:08}", i)))
        } else {
            let form = ["ООО", "АО", "ООО", "ООО"][rng.next(4)];
            let name = format!(
                "{form} «{}-{}»",
                WORDS[rng.next(WORDS.len())],
                WORDS[rng.next(WORDS.len())]
            );
            // Some organisations registered in Moscow: INNs starting 7707.
            let body = if i % 10 == 0 {
                format!("7707{:05}", i / 10)
            } else {
                format!("27{:07}", i)
            };
            (name, ident::complete_inn10(&body))
        };
        let region = if i % 10 == 0 { "77" } else { "27" };
        let category = ["микро", "малое", "среднее"][rng.next(3)];
        csv.push_str(&format!("{name};{inn};{contact};{phone};{region};{category}\n"));
    }
    let table = import_table::read_csv_bytes(csv.as_bytes()).unwrap();
    let mapping = import_table::propose_mapping(&table.headers);
    let today = NaiveDate::from_ymd_opt(2025, 3, 15).unwrap();
    let report = import_table::save(
        conn,
        &Ctx::new("bench", today.and_hms_opt(9, 0, 0).unwrap()),
        &table,
        &mapping,
    )
    .unwrap();
    assert_eq!(report.saved as usize, SMES, "{:?}", report.errors.first());
}

/// What the list did before the trigram index: `LIKE '%…%'` over search_text and an exact count.
fn like_scan(conn: &Db, text: &str) -> (u32, usize) {
    let pattern = format!("%{}%", sme::fold(text));
    let total: u32 = conn
        .query_row("SELECT count(*) FROM sme WHERE search_text LIKE ?1", [&pattern], |r| {
            r.get(0)
        })
        .unwrap();
    let rows = conn
        .query_map(
            "SELECT id, full_name FROM sme WHERE search_text LIKE ?1 ORDER BY full_name COLLATE NOCASE, id LIMIT 200",
            [&pattern],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
        .len();
    (total, rows)
}

/// Keystroke by keystroke, as the list asks while someone types.
const SEQUENCES: &[&[&str]] = &[
    &["а", "ам", "аму", "амур"],
    &["7", "77", "770", "7707"],
    &["о", "оо", "ооо", "ооо р", "ооо ры", "ооо рыб"],
    &["к", "ку", "куз", "кузн", "кузнец"],
    &["семе", "семенов"],
    &["4212", "4212) 12"],
    &["zzz", "нетакого"],
];

fn percentiles(mut samples: Vec<Duration>) -> (f64, f64, f64) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() as f64 * p).ceil() as usize).saturating_sub(1)].as_secs_f64() * 1e3;
    (at(0.5), at(0.95), at(1.0))
}

/// CPU time of this thread: on a machine shared with other work, wall time also counts the time
/// the thread waited for a core; CPU time is what the query itself costs.
fn thread_cpu() -> Duration {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the timespec we own; the clock id is a constant.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Wall and CPU percentiles (p50, p95, max) of `runs` calls after one warm-up call.
fn timed(runs: usize, mut f: impl FnMut()) -> ((f64, f64, f64), (f64, f64, f64)) {
    f();
    let (wall, cpu): (Vec<Duration>, Vec<Duration>) = (0..runs)
        .map(|_| {
            let (t, c) = (Instant::now(), thread_cpu());
            f();
            (t.elapsed(), thread_cpu() - c)
        })
        .unzip();
    (percentiles(wall), percentiles(cpu))
}

fn search(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(dir.path()).unwrap();
    let t = Instant::now();
    fill(&mut conn);
    println!(
        "filled {SMES} SMEs through the table import in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    println!(
        "\n{:<12} {:>8} {:>9} {:>9} {:>9} | {:>8} {:>8} | {:>9} {:>9}  (ms; 50 runs each)",
        "query", "total", "p50", "p95", "max", "cpu p50", "cpu p95", "LIKE p50", "LIKE p95"
    );
    let mut all = Vec::new();
    for seq in SEQUENCES {
        for text in *seq {
            let q = SmeQuery {
                text: (*text).into(),
                ..Default::default()
            };
            let page = sme::list(&conn, &q).unwrap();
            let ((p50, p95, max), (c50, c95, _)) = timed(50, || {
                sme::list(&conn, &q).unwrap();
            });
            let ((l50, l95, _), _) = timed(10, || {
                like_scan(&conn, text);
            });
            all.push((p95, c95));
            let total = format!("{}{}", page.total, if page.total_exact { "" } else { "+" });
            println!(
                "{:<12} {total:>8} {p50:>9.2} {p95:>9.2} {max:>9.2} | {c50:>8.2} {c95:>8.2} | {l50:>9.2} {l95:>9.2}",
                format!("«{text}»")
            );
        }
    }
    for (label, q) in [
        (
            "region 77 + «ооо»",
            SmeQuery {
                text: "ооо".into(),
                region_code: Some("77".into()),
                ..Default::default()
            },
        ),
        (
            "sort INN «амур»",
            SmeQuery {
                text: "амур".into(),
                sort: sme::SmeSort::Inn,
                ..Default::default()
            },
        ),
        ("no text", SmeQuery::default()),
        (
            "deep window",
            SmeQuery {
                offset: 50_000,
                ..Default::default()
            },
        ),
        (
            "deep window «ооо»",
            SmeQuery {
                text: "ооо".into(),
                offset: 20_000,
                ..Default::default()
            },
        ),
    ] {
        let ((p50, p95, max), (c50, c95, _)) = timed(50, || {
            sme::list(&conn, &q).unwrap();
        });
        println!("{label:<22} p50 {p50:.2} p95 {p95:.2} max {max:.2} | cpu p50 {c50:.2} p95 {c95:.2} ms");
    }
    // Scrolling as the registry screen does: pages of 100 with one kept match set (the first page
    // finds the matches, later pages read from them), then a jump deep into the list.
    for text in ["", "ооо", "ооо ры", "ам"] {
        let (mut samples, mut cpu) = (Vec::new(), Vec::new());
        for _ in 0..10 {
            let mut cache = sme::SearchCache::default();
            for offset in (0..3_000).step_by(100).chain([20_000, 20_100]) {
                let q = SmeQuery {
                    text: text.into(),
                    offset,
                    limit: 100,
                    ..Default::default()
                };
                let (t, c) = (Instant::now(), thread_cpu());
                cache.list(&conn, &q).unwrap();
                samples.push(t.elapsed());
                cpu.push(thread_cpu() - c);
            }
        }
        let (p50, p95, max) = percentiles(samples);
        let (c50, c95, _) = percentiles(cpu);
        println!(
            "scroll «{text}» pages of 100, kept matches: p50 {p50:.2} p95 {p95:.2} max {max:.2} | cpu p50 {c50:.2} p95 {c95:.2} ms"
        );
    }
    let worst = |f: fn(&(f64, f64)) -> f64| all.iter().map(f).fold(0.0, f64::max);
    println!(
        "worst per-keystroke p95 over all queries: {:.2} ms wall, {:.2} ms cpu\n",
        worst(|a| a.0),
        worst(|a| a.1)
    );

    let mut g = c.benchmark_group("sme_search_100k");
    g.sample_size(20)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500));
    for text in ["амур", "7707", "ооо рыб", "кузнец", "ам"] {
        let q = SmeQuery {
            text: text.into(),
            ..Default::default()
        };
        g.bench_function(format!("list «{text}»"), |b| b.iter(|| sme::list(&conn, &q).unwrap()));
        g.bench_function(format!("like «{text}»"), |b| b.iter(|| like_scan(&conn, text)));
    }
    g.finish();
}

criterion_group!(benches, search);
criterion_main!(benches);
