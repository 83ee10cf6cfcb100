//! Temporary lab (not committed): query plans for the SME search at 100 000 records.
use std::time::{Duration, Instant};
use chrono::NaiveDate;
use cpe_core::audit::Ctx;
use cpe_core::db::{self, Connection};
use cpe_core::ident;
use cpe_core::sme::{self, import_table, SmeQuery};
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
const NAMES: &[&str] = &["Иван", "Пётр", "Анна", "Мария", "Сергей", "Ольга", "Дмитрий", "Елена", "Алексей", "Наталья"];

/// A deterministic generator so every run measures the same data.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn fill(conn: &mut Connection) {
    let mut rng = Lcg(27);
    let mut csv = String::from("Наименование;ИНН;Контактное лицо;Телефон;Код региона;Категория\n");
    for i in 0..SMES {
        let contact = format!("{} {}", SURNAMES[rng.next(SURNAMES.len())], NAMES[rng.next(NAMES.len())]);
        let phone = format!("+7 (4212) {:02}-{:02}-{:02}", rng.next(100), rng.next(100), rng.next(100));
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
            let name = format!("{form} «{}-{}»", WORDS[rng.next(WORDS.len())], WORDS[rng.next(WORDS.len())]);
            // Some organisations registered in Moscow: INNs starting 7707.
            let body = if i % 10 == 0 { format!("7707{:05}", i / 10) } else { format!("27{:07}", i) };
            (name, ident::complete_inn10(&body))
        };
        let region = if i % 10 == 0 { "77" } else { "27" };
        let category = ["микро", "малое", "среднее"][rng.next(3)];
        csv.push_str(&format!("{name};{inn};{contact};{phone};{region};{category}\n"));
    }
    let table = import_table::read_csv_bytes(csv.as_bytes()).unwrap();
    let mapping = import_table::propose_mapping(&table.headers);
    let today = NaiveDate::from_ymd_opt(2025, 3, 15).unwrap();
    let report =
        import_table::save(conn, &Ctx::new("bench", today.and_hms_opt(9, 0, 0).unwrap()), &table, &mapping).unwrap();
    assert_eq!(report.saved as usize, SMES, "{:?}", report.errors.first());
}


fn timed(runs: usize, mut f: impl FnMut()) -> (f64, f64) {
    f();
    let mut v: Vec<Duration> = (0..runs).map(|_| { let t = Instant::now(); f(); t.elapsed() }).collect();
    v.sort();
    let at = |p: f64| v[((v.len() as f64 * p).ceil() as usize).saturating_sub(1)].as_secs_f64() * 1e3;
    (at(0.5), at(0.95))
}

fn main() {
    let dir = std::path::Path::new("/tmp/sme-lab");
    let fresh = !dir.join(db::DB_FILE).exists();
    let mut conn = db::open_in(dir).unwrap();
    if fresh { fill(&mut conn); }
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("mmap") {
        conn.pragma_update(None, "mmap_size", 268435456i64).unwrap();
        conn.pragma_update(None, "cache_size", -65536i64).unwrap();
    }
    if args.first().map(String::as_str) == Some("scan") {
        conn.execute_batch("CREATE INDEX IF NOT EXISTS sme_name_search ON sme (full_name COLLATE NOCASE, search_text); CREATE INDEX IF NOT EXISTS sme_inn_search ON sme (inn, search_text); ANALYZE;").unwrap();
        for w in ["ооо", "амур", "4212", "кузнец", "zzz", "ам", "7707"] {
            let c = |sql: &str| { let (a, b) = timed(30, || { let mut st = conn.prepare_cached(sql).unwrap(); let mut r = st.query([w]).unwrap(); while r.next().unwrap().is_some() {} }); format!("{a:.2}/{b:.2}") };
            println!("{w:<8} cover name {}  plain name {}  cover inn {}  newest {}  fullscan count {}  cover count {}", 
              c("SELECT id, full_name FROM sme INDEXED BY sme_name_search WHERE instr(search_text, ?1) > 0 ORDER BY full_name COLLATE NOCASE, id LIMIT 200"),
              c("SELECT id, full_name FROM sme INDEXED BY sme_full_name WHERE instr(search_text, ?1) > 0 ORDER BY full_name COLLATE NOCASE, id LIMIT 200"),
              c("SELECT id, full_name FROM sme INDEXED BY sme_inn_search WHERE instr(search_text, ?1) > 0 ORDER BY inn LIMIT 200"),
              c("SELECT id, full_name FROM sme WHERE instr(search_text, ?1) > 0 ORDER BY id DESC LIMIT 200"),
              c("SELECT count(*) FROM sme NOT INDEXED WHERE instr(search_text, ?1) > 0"),
              c("SELECT count(*) FROM sme INDEXED BY sme_name_search WHERE instr(search_text, ?1) > 0"));
        }
        return;
    }
    let mode = args.get(1).cloned().unwrap_or_default();
    for text in ["а", "ам", "амур", "7707", "ооо", "ооо рыб", "кузнец", "4212", "zzz"] {
        let q = SmeQuery { text: text.into(), ..Default::default() };
        let (p50, p95) = timed(30, || { sme::list(&conn, &q).unwrap(); });
        let page = sme::list(&conn, &q).unwrap();
        println!("{text:<10} total {:>6}{} list p50 {p50:7.2} p95 {p95:7.2}", page.total, if page.total_exact {" "} else {"+"});
        if mode == "parts" {
            let fts = format!("\"{}\"", sme::fold(text));
            let c = |sql: &str| { let (a, b) = timed(30, || { let mut st = conn.prepare_cached(sql).unwrap(); let mut r = st.query([&fts]).unwrap(); while r.next().unwrap().is_some() {} }); format!("{a:.2}/{b:.2}") };
            println!("   fts count10k {}  fts all ids {}  ftsjoin sort {}  idxscan IN {}",
                c("SELECT count(*) FROM (SELECT rowid FROM sme_fts WHERE sme_fts MATCH ?1 LIMIT 10001)"),
                c("SELECT rowid FROM sme_fts WHERE sme_fts MATCH ?1"),
                c("SELECT sme.id, sme.full_name FROM sme_fts CROSS JOIN sme ON sme.id = sme_fts.rowid WHERE sme_fts MATCH ?1 ORDER BY sme.full_name COLLATE NOCASE, sme.id LIMIT 200"),
                c("SELECT sme.id, sme.full_name FROM sme INDEXED BY sme_full_name WHERE sme.id IN (SELECT rowid FROM sme_fts WHERE sme_fts MATCH ?1) ORDER BY sme.full_name COLLATE NOCASE, sme.id LIMIT 200"));
        }
    }
}
