//! A fuzz-style property suite for every importer: mutations of real files and arbitrary bytes never panic, and an import that fails leaves the database exactly as it was.
//!
//! Each importer gets `CPE_FUZZ_CASES` cases (default 300; e.g. `CPE_FUZZ_CASES=20000` for a long
//! run) from a fixed seed (`CPE_FUZZ_SEED` to vary it), so a failure is reproducible: the message
//! names the case and the input is written under the test's temporary folder. A case is a real
//! file (the tax service's registry, the Bank's rates, xmlcalendar, a CSV or XLSX list of
//! businesses, a document template) with one to four mutations — bits flipped, bytes replaced,
//! ranges deleted, repeated or cut, tokens a hostile file would hold inserted — or, one case in
//! sixteen, bytes with no structure at all.

mod common;

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;
use cpe_core::audit::Ctx;
use cpe_core::db::{self, Db};
use cpe_core::document::acts::{self, ActKind};
use cpe_core::document::agreement;
use cpe_core::sme::import_table;
use cpe_core::{calendar, fns_registry, rates};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../../shared/fixtures");
const ASSETS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../assets");
const CBR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cbr");

fn cases() -> usize {
    std::env::var("CPE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

fn seed() -> u64 {
    std::env::var("CPE_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x00C0_FFEE_2026)
}

/// xorshift64*: small, fast and the same on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What a hostile or broken file holds: references, huge and tiny numbers, control and
/// direction characters, formulas, broken encodings, markup of the formats read.
const TOKENS: &[&str] = &[
    "&#54;",
    "&amp;",
    "&#0;",
    "&#1114112;",
    "&#xD800;",
    "&lt;",
    "&unknown;",
    "<![CDATA[7]]>",
    "<!DOCTYPE a [<!ENTITY e \"xxxxxxxx\">]>",
    "<?xml version=\"1.0\" encoding=\"UTF-16\"?>",
    "<?xml version=\"1.0\" encoding=\"koi8-r\"?>",
    "79228162514264337593543950335",
    "0,0000000000000000000000000001",
    "99999999999999999999999999999999999999",
    "-1",
    "1e9999",
    "NaN",
    ",",
    ";",
    "\"",
    "\"\"",
    "\n",
    "\r",
    "\t",
    "\u{0}",
    "\u{1b}[2J",
    "\u{202e}",
    "\u{feff}",
    "=HYPERLINK(\"http://x\")",
    "+1",
    "@SUM(A1)",
    "31.02.2025",
    "00.00.0000",
    "29.02.2100",
    "9999-12-31",
    "Date=\"01.01.0001\"",
    "ИННЮЛ=\"0000000000\"",
    "КодРегион=\"99\"",
    "<Документ>",
    "</Документ>",
    "<Valute ID=\"R01235\"><CharCode>USD</CharCode><Nominal>0</Nominal><Value>1</Value></Valute>",
    "<Record Date=\"01.01.2025\" Id=\"X\"><Nominal>1</Nominal><Value>-5</Value></Record>",
    "<day d=\"13.45\" t=\"9\"/>",
    "<day d=\"02.30\" t=\"1\"/>",
    "{",
    "}",
    "{centre.unknown}",
    "{act.number",
    "**",
    ".если act.number\n",
    ".конец\n",
    ".вставка неизвестное\n",
    ".заголовок ",
    "\u{fffd}",
    "\u{ff}\u{fe}",
];

/// One mutated copy of `seed`, or arbitrary bytes.
fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    if rng.below(16) == 0 {
        let len = rng.below(4096);
        return (0..len).map(|_| rng.next() as u8).collect();
    }
    let mut v = seed.to_vec();
    if rng.below(2) == 0 {
        // Gentle: the file stays well-formed, its figures and dates change — a digit replaced, or
        // a number swapped for an extreme one.
        for _ in 0..1 + rng.below(3) {
            let from = rng.below(v.len());
            let Some(i) = v[from..].iter().position(u8::is_ascii_digit).map(|i| from + i) else {
                continue;
            };
            if rng.below(4) == 0 {
                let end = i + v[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                let extreme = rng.pick(&["0", "79228162514264337593543950335", "1000001", "9999999999999", "00"]);
                v.splice(i..end, extreme.bytes());
            } else {
                v[i] = b'0' + rng.below(10) as u8;
            }
        }
        return v;
    }
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(8) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] = rng.next() as u8;
            }
            2 => {
                let end = (at + 1 + rng.below(64)).min(v.len());
                v.drain(at.min(end)..end);
            }
            3 if !v.is_empty() => {
                let from = rng.below(v.len());
                let end = (from + 1 + rng.below(256)).min(v.len());
                let piece = v[from..end].to_vec();
                v.splice(at..at, piece);
            }
            4 | 5 => {
                let token = rng.pick(TOKENS).as_bytes().to_vec();
                v.splice(at..at, token);
            }
            6 => v.truncate(at),
            _ => {
                let n = 1 + rng.below(16);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                v.splice(at..at, bytes);
            }
        }
    }
    v
}

/// Runs `f` on each case; a panic fails the test naming the case, with the input kept in `keep`.
fn each_case(name: &str, seeds: &[Vec<u8>], keep: &Path, mut f: impl FnMut(usize, &[u8])) {
    let mut rng = Rng::new(
        seed()
            ^ name
                .bytes()
                .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))),
    );
    for case in 0..cases() {
        let base = rng.pick(seeds).clone();
        let input = mutate(&mut rng, &base);
        if catch_unwind(AssertUnwindSafe(|| f(case, &input))).is_err() {
            let kept = keep.join(format!("fuzz-{name}-{case}.bin"));
            std::fs::write(&kept, &input).unwrap();
            panic!(
                "{name}: case {case} (CPE_FUZZ_SEED={}) panicked; its input is in {}",
                seed(),
                kept.display()
            );
        }
    }
}

fn ctx() -> Ctx {
    Ctx::new(
        "Проверяющий",
        NaiveDate::from_ymd_opt(2025, 6, 2)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
    )
}

/// Every row of every table of the program, as text: what «nothing changed» is compared by.
fn everything(conn: &Db) -> Vec<(String, Vec<String>)> {
    conn.tables()
        .unwrap()
        .into_iter()
        .map(|t| {
            let rows = conn.dump(&t).unwrap();
            (t, rows)
        })
        .collect()
}

fn audit_count(conn: &Db) -> i64 {
    conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap()
}

/// Runs an import; when it fails, the database must be exactly as before, and its message must
/// be a sentence for a person, not empty.
fn atomic<T>(conn: &mut Db, case: usize, run: impl FnOnce(&mut Db) -> cpe_core::Result<T>) -> Option<T> {
    let before = everything(conn);
    match run(conn) {
        Ok(v) => Some(v),
        Err(e) => {
            assert!(!e.message.trim().is_empty(), "case {case}: an error without a message");
            assert!(
                before == everything(conn),
                "case {case}: a failed import changed the database: {}",
                e.message
            );
            None
        }
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The first `n` documents of a real registry file, closed as a whole file.
fn registry_sample(n: usize) -> Vec<u8> {
    let file =
        std::fs::File::open(Path::new(FIXTURES).join("fns-sme-registry/rsmp-sample-2023-05-10-v4.04.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_index(0).unwrap(), &mut text).unwrap();
    let mut end = 0;
    for _ in 0..n {
        end += text[end..].find("</Документ>").unwrap() + "</Документ>".len();
    }
    format!("{}</Файл>", &text[..end]).into_bytes()
}

fn zipped(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        z.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(bytes).unwrap();
        z.finish().unwrap();
    }
    out.into_inner()
}

#[test]
fn fns_registry_files_and_archives() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(&dir.path().join("db")).unwrap();
    let xml = registry_sample(12);
    let zip = zipped("VO_RRMSPSV_0000_9965_20230510_fuzz.xml", &xml);
    let seeds = [xml.clone(), zip.clone()];
    let mut imported = 0;
    each_case("fns", &seeds, dir.path(), |case, input| {
        let name = if input.starts_with(b"PK") {
            "реестр.zip"
        } else {
            "реестр.xml"
        };
        let path = write(dir.path(), name, input);
        let outcome = atomic(&mut conn, case, |c| {
            fns_registry::import(c, &ctx(), &[path], &[], &mut |_| {}, &AtomicBool::new(false))
        });
        if let Some(s) = outcome {
            imported += 1;
            let snap = &s.snapshot;
            assert!(snap.records_imported + snap.records_skipped + snap.records_duplicate <= snap.records_seen);
            let stored: i64 = conn
                .query_row(
                    "SELECT count(*) FROM fns_record WHERE snapshot_id = ?1",
                    [snap.id],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(
                stored, snap.records_imported,
                "case {case}: the snapshot's count is what is stored"
            );
        }
    });
    let hidden: i64 = conn
        .query_row(
            "SELECT count(*) FROM fns_snapshot WHERE state_date LIKE '~%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(hidden, 0, "no import leaves a hidden snapshot behind");
    eprintln!("fns: {imported} of {} cases imported", cases());
}

#[test]
fn cb_rate_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(&dir.path().join("db")).unwrap();
    let seeds: Vec<Vec<u8>> = std::fs::read_dir(CBR)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "xml"))
        .map(|e| std::fs::read(e.path()).unwrap())
        .collect();
    assert!(seeds.len() >= 3);
    let mut imported = 0;
    each_case("rates", &seeds, dir.path(), |case, input| {
        // The parser alone, then the import through a file; every stored rate within the bounds.
        let _ = rates::parse(input);
        let path = write(dir.path(), "курсы.xml", input);
        let replace = case % 2 == 0;
        if atomic(&mut conn, case, |c| rates::import_file(c, &ctx(), &path, replace)).is_some() {
            imported += 1;
        }
    });
    let bad: i64 = conn
        .query_row(
            "SELECT count(*) FROM currency_rate WHERE nominal < 1 OR nominal > 1000000 OR CAST(value AS REAL) <= 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bad, 0, "a stored rate out of bounds");
    eprintln!(
        "rates: {imported} of {} cases imported, audit entries {}",
        cases(),
        audit_count(&conn)
    );
}

#[test]
fn xmlcalendar_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(&dir.path().join("db")).unwrap();
    let seeds: Vec<Vec<u8>> = ["2025.xml", "2026.xml"]
        .iter()
        .map(|f| std::fs::read(Path::new(ASSETS).join("calendar").join(f)).unwrap())
        .collect();
    let mut imported = 0;
    each_case("calendar", &seeds, dir.path(), |case, input| {
        if let Ok(text) = std::str::from_utf8(input) {
            let _ = calendar::xml::parse(text);
        }
        let path = write(dir.path(), "calendar.xml", input);
        if atomic(&mut conn, case, |c| calendar::import_file(c, &ctx(), &path)).is_some() {
            imported += 1;
            // What was imported is read back and used.
            calendar::load(&conn).unwrap();
        }
    });
    eprintln!("calendar: {imported} of {} cases imported", cases());
}

/// A list of businesses as a clerk would export it: quotes, separators inside names, empty cells.
fn csv() -> String {
    use cpe_core::ident::{complete_inn10, complete_inn12, complete_ogrn};
    format!(
        "Вид;Полное наименование;ИНН;ОГРН;Регион;Телефон;Электронная почта;Продукция
ЮЛ;ООО «Амур-Экспорт»;{};{};27;+7 4212 00-00-01;info@amur.example;лес
ИП;Петров Пётр Петрович;{};;27;;;мёд
ЮЛ;\"ООО \"\"Кавычки; и точка с запятой\"\"\";{};;27;;;рыба
",
        complete_inn10("272100001"),
        complete_ogrn("102270000001"),
        complete_inn12("2721000000"),
        complete_inn10("272100002"),
    )
}

#[test]
fn csv_lists_of_businesses() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(&dir.path().join("db")).unwrap();
    let csv = csv();
    let seeds = [
        csv.as_bytes().to_vec(),
        csv.replace(';', ",").into_bytes(),
        csv.replace(';', "\t").into_bytes(),
    ];
    {
        let table = import_table::read_csv_bytes(&seeds[0]).unwrap();
        let preview = import_table::preview(&table, 5);
        let r = import_table::check(&conn, &table, &preview.mapping, ctx().now.date()).unwrap();
        assert_eq!(r.valid, 3, "the seed itself is a good list: {:?}", r.errors);
    }
    let mut saved = 0;
    let seed_inns = [
        cpe_core::ident::complete_inn10("272100001"),
        cpe_core::ident::complete_inn12("2721000000"),
        cpe_core::ident::complete_inn10("272100002"),
    ];
    each_case("csv", &seeds, dir.path(), |case, input| {
        // Numbers of this case, so the rows are not refused as already in the registry.
        let mut text = String::from_utf8_lossy(input).into_owned();
        if std::str::from_utf8(input).is_ok() {
            let n = case as u32 * 3;
            text = text
                .replace(&seed_inns[0], &cpe_core::ident::complete_inn10(&format!("27{:07}", n)))
                .replace(
                    &seed_inns[1],
                    &cpe_core::ident::complete_inn12(&format!("27{:08}", n + 1)),
                )
                .replace(
                    &seed_inns[2],
                    &cpe_core::ident::complete_inn10(&format!("27{:07}", n + 2)),
                );
        }
        let input = if std::str::from_utf8(input).is_ok() {
            text.as_bytes()
        } else {
            input
        };
        let path = write(dir.path(), "список.csv", input);
        let Ok(table) = import_table::read_table(&path) else {
            return;
        };
        let preview = import_table::preview(&table, 5);
        let checked = import_table::check(&conn, &table, &preview.mapping, ctx().now.date());
        let smes_before: i64 = conn.query_row("SELECT count(*) FROM sme", [], |r| r.get(0)).unwrap();
        if let Some(report) = atomic(&mut conn, case, |c| {
            import_table::save(c, &ctx(), &table, &preview.mapping)
        }) {
            // Either every valid row is saved with its audit entry, or none.
            assert_eq!(report.saved, report.valid);
            assert_eq!(
                checked.map(|c| c.valid).ok(),
                Some(report.valid),
                "case {case}: check and save agree"
            );
            let smes: i64 = conn.query_row("SELECT count(*) FROM sme", [], |r| r.get(0)).unwrap();
            assert_eq!(smes - smes_before, i64::from(report.saved), "case {case}");
            saved += report.saved;
        }
    });
    let bad: i64 = conn
        .query_row(
            "SELECT count(*) FROM sme WHERE full_name GLOB '*[\u{1}-\u{1f}]*' OR full_name LIKE '%\u{202e}%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bad, 0, "control characters reached a stored name");
    eprintln!("csv: {saved} records saved over {} cases", cases());
}

#[test]
fn xlsx_lists_of_businesses() {
    // Structure-aware: a real workbook whose cells are random values at random places (an XLSX
    // with its bytes mutated is refused by the ZIP checksum before any cell is read).
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open_in(&dir.path().join("db")).unwrap();
    let mut rng = Rng::new(seed() ^ 0x5151);
    let headers = [
        "Вид",
        "Полное наименование",
        "ИНН",
        "Регион",
        "Телефон",
        "Дата включения в реестр",
    ];
    let n = cases() / 3;
    for case in 0..n {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let rows = 1 + rng.below(30) as u32;
        for (c, h) in headers.iter().enumerate() {
            if rng.below(10) > 0 {
                sheet.write_string(0, c as u16, *h).unwrap();
            }
        }
        for r in 1..=rows {
            for c in 0..headers.len() as u16 + rng.below(3) as u16 {
                let row = if rng.below(50) == 0 {
                    r + rng.below(100_000) as u32
                } else {
                    r
                };
                match rng.below(5) {
                    0 => sheet.write_number(row, c, f64::from_bits(rng.next())).map(drop),
                    1 => sheet.write_number(row, c, rng.below(10_000_000_000) as f64).map(drop),
                    2 => sheet.write_boolean(row, c, rng.below(2) == 0).map(drop),
                    _ => {
                        let text = String::from_utf8_lossy(&mutate(&mut rng, b"2721000012")).into_owned();
                        sheet.write_string(row, c, &text).map(drop)
                    }
                }
                .unwrap_or(());
            }
        }
        let bytes = book.save_to_buffer().unwrap();
        let path = write(dir.path(), "список.xlsx", &bytes);
        let run = catch_unwind(AssertUnwindSafe(|| {
            if let Ok(table) = import_table::read_table(&path) {
                let preview = import_table::preview(&table, 5);
                atomic(&mut conn, case, |c| {
                    import_table::save(c, &ctx(), &table, &preview.mapping)
                });
            }
        }));
        if run.is_err() {
            let kept = dir.path().join(format!("fuzz-xlsx-{case}.xlsx"));
            std::fs::copy(&path, &kept).unwrap();
            panic!("xlsx: case {case} panicked; the workbook is in {}", kept.display());
        }
    }
}

#[test]
fn document_templates() {
    let dir = tempfile::tempdir().unwrap();
    let seeds: Vec<Vec<u8>> = ["act.txt", "agreement.txt"]
        .iter()
        .map(|f| std::fs::read(Path::new(ASSETS).join("templates").join(f)).unwrap())
        .collect();
    let act = common::act(ActKind::Complex);
    let agreement_doc = common::agreement(true);
    acts::document(&act, Some(&String::from_utf8_lossy(&seeds[0])), common::created()).unwrap();
    let (mut accepted, mut printed) = (0, 0);
    each_case("templates", &seeds, dir.path(), |_, input| {
        let text = String::from_utf8_lossy(input);
        let _ = agreement::document(&agreement_doc, Some(&text), common::created());
        if acts::document(&act, Some(&text), common::created()).is_ok() {
            accepted += 1;
            // A template that is accepted must also print: a PDF for some of them (the slow part).
            if accepted % 10 == 1 {
                let pdf = acts::pdf(&act, Some(&text), common::created()).unwrap();
                assert!(pdf.starts_with(b"%PDF"));
                printed += 1;
            }
        }
    });
    eprintln!("templates: {accepted} mutated act templates accepted, {printed} printed to PDF");
}
