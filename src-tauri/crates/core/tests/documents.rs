//! Every document kind generated into a temp dir and read back with poppler (pdftotext, pdffonts, pdfinfo): the text a person copies is right, fonts are embedded and subset, pages are counted right.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use cpe_core::document::acts::{self, ActKind};
use cpe_core::document::{agreement, extract, refusal, words};
use cpe_core::money::format_amount;

fn save(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    // `CPE_DOC_OUT=DIR` keeps a copy of every document to look at (pdftoppm -png).
    if let Ok(out) = std::env::var("CPE_DOC_OUT") {
        let keep = Path::new(&out).join(format!("{}-{name}", std::thread::current().name().unwrap_or("doc")));
        std::fs::write(keep, bytes).unwrap();
    }
    p
}

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed (poppler-utils, installed by .ci/deps.sh test): {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The text as pdftotext gives it, with every run of whitespace (non-breaking included) made one space.
fn text(p: &Path) -> String {
    let raw = run("pdftotext", &["-layout", p.to_str().unwrap(), "-"]);
    raw.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn pages(p: &Path) -> usize {
    let info = run("pdfinfo", &[p.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn page_text(p: &Path, page: usize) -> String {
    let n = page.to_string();
    let raw = run("pdftotext", &["-layout", "-f", &n, "-l", &n, p.to_str().unwrap(), "-"]);
    raw.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Liberation Serif (and DejaVu Serif for the rouble sign) embedded as subsets with a ToUnicode map; no other font.
fn assert_fonts(p: &Path) {
    let out = run("pdffonts", &[p.to_str().unwrap()]);
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert!(
        rows.iter().any(|r| r.contains("+LiberationSerif ")),
        "no Liberation Serif: {out}"
    );
    for r in &rows {
        let cols: Vec<&str> = r.split_whitespace().collect();
        assert!(
            cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+',
            "not a subset name: {r}"
        );
        assert!(
            cols[0].contains("LiberationSerif") || cols[0].ends_with("+DejaVuSerif"),
            "{r}"
        );
        // name, type (2 words: CID TrueType), encoding, emb, sub, uni, object, ID
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            &["yes", "yes", "yes"],
            "emb/sub/uni: {r}"
        );
    }
}

fn plain(s: &str) -> String {
    s.replace('\u{a0}', " ")
}

#[test]
fn agreements_standalone_and_complex() {
    let dir = tempfile::tempdir().unwrap();
    for complex in [false, true] {
        let a = agreement(complex);
        let p = save(
            dir.path(),
            "agreement.pdf",
            &agreement::pdf(&a, None, created()).unwrap(),
        );
        assert_fonts(&p);
        let t = text(&p);
        for must in [
            "СОГЛАШЕНИЕ № ".to_owned() + &a.number,
            "«15» марта 2025 г.".into(),
            a.centre.full_name.clone(),
            a.sme.full_name.clone(),
            "ИНН 2723456789".into(),
            "А. С. Петрова".into(),
            "П. Н. Иванов".into(),
            "в двух экземплярах".into(),
        ] {
            assert!(t.contains(&must), "agreement lacks «{must}»:\n{t}");
        }
        let totals = cpe_core::document::items::totals(&a.items);
        for item in &a.items {
            for amount in [item.cost, item.sme_share, item.centre_share] {
                assert!(t.contains(&plain(&format_amount(amount))), "lacks {amount}");
            }
        }
        for amount in [totals.cost, totals.sme_share, totals.centre_share] {
            assert!(
                t.contains(&plain(&words::rub_with_words(amount))),
                "lacks the words of {amount}:\n{t}"
            );
        }
        assert_eq!(
            t.contains("3 (трёх) лет"),
            complex,
            "the export-reporting duty is for complex services"
        );
        assert_eq!(t.contains("15 рабочих дней"), complex);
        // Two copies, each numbering its own pages.
        let n = pages(&p);
        assert!(n % 2 == 0, "two copies: {n} pages");
        assert!(
            page_text(&p, n / 2 + 1).contains("СОГЛАШЕНИЕ"),
            "the second copy starts on its own page"
        );
        if n > 2 {
            assert!(page_text(&p, 2).contains(&format!("Страница 2 из {}", n / 2)));
            assert!(!page_text(&p, 1).contains("Страница"));
        }
        let info = run("pdfinfo", &[p.to_str().unwrap()]);
        assert!(info.contains("АНО «ЦПЭ Хабаровского края»"), "author: {info}");
        assert!(info.contains("2025"), "creation date: {info}");
    }
}

#[test]
fn acts_of_every_kind() {
    let dir = tempfile::tempdir().unwrap();
    let kinds = [
        ActKind::Standalone,
        ActKind::Complex,
        ActKind::Stage {
            number: 1,
            title: "Поиск покупателя".into(),
        },
    ];
    for kind in kinds {
        let mut a = act(kind.clone());
        if kind == ActKind::Complex {
            a.event = Some("Бизнес-миссия в Харбин".into());
        }
        let p = save(dir.path(), "act.pdf", &acts::pdf(&a, None, created()).unwrap());
        assert_fonts(&p);
        assert_eq!(pages(&p), 1, "{kind:?}");
        let t = text(&p);
        let totals = cpe_core::document::items::totals(&a.items);
        for must in [
            format!("АКТ № {}", a.number),
            format!("к Соглашению № {} от 15.03.2025", a.agreement_number),
            "«28» ноября 2025 г.".into(),
            a.sme.full_name.clone(),
            plain(&words::rub_with_words(totals.cost)),
            plain(&words::rub_with_words(totals.sme_share)),
            plain(&words::rub_with_words(totals.centre_share)),
            "П. Н. Иванов".into(),
        ] {
            assert!(t.contains(&must), "{kind:?} lacks «{must}»:\n{t}");
        }
        if let ActKind::Stage { .. } = kind {
            assert!(t.contains("по этапу 1 «Поиск покупателя»"), "{t}");
        }
        if kind == ActKind::Complex {
            assert!(t.contains("Бизнес-миссия в Харбин"));
        }
    }
}

#[test]
fn many_acts_in_one_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let list: Vec<_> = (0..25)
        .map(|n| {
            let mut a = act(ActKind::Standalone);
            a.number = format!("А-{n:04}");
            a
        })
        .collect();
    let p = save(
        dir.path(),
        "acts.pdf",
        &acts::batch_pdf(&list, None, "Акты за ноябрь 2025", created()).unwrap(),
    );
    assert_eq!(pages(&p), 25);
    assert_fonts(&p);
    for n in [0, 12, 24] {
        assert!(page_text(&p, n + 1).contains(&format!("АКТ № А-{n:04}")));
    }
}

#[test]
fn refusal_notice() {
    let dir = tempfile::tempdir().unwrap();
    let r = refusal();
    let p = save(dir.path(), "refusal.pdf", &refusal::pdf(&r, None, created()).unwrap());
    assert_fonts(&p);
    assert_eq!(pages(&p), 1);
    let t = text(&p);
    for must in [
        "УВЕДОМЛЕНИЕ",
        "Исх. № ЦПЭ-0456",
        "№ З-2025-0789 от 28.03.2025",
        "пункт 6.1.5 Регламента",
        "не заключил по их результатам ни одного экспортного контракта",
        "ООО «Амурские деликатесы»",
        "А. С. Петрова",
    ] {
        assert!(t.contains(must), "refusal lacks «{must}»:\n{t}");
    }
}

#[test]
fn a_long_extract_repeats_its_header_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let e = extract(300);
    let doc = extract::document(&e, None, created()).unwrap();
    let expected = cpe_core::document::page_count(&doc);
    let p = save(dir.path(), "extract.pdf", &cpe_core::document::render(&doc).unwrap());
    let n = pages(&p);
    assert_eq!(n, expected);
    assert!(n >= 10, "300 rows take many pages: {n}");
    assert_fonts(&p);
    for page in 1..=n {
        let t = page_text(&p, page);
        assert!(
            t.contains("Услуга Соглашение Акт"),
            "page {page} lacks the header row:\n{t}"
        );
        if page > 1 {
            assert!(
                t.contains(&format!("Страница {page} из {n}")),
                "page {page} lacks its number"
            );
        }
    }
    let t = text(&p);
    for n in [1, 150, 300] {
        assert!(t.contains(&format!("№ 27/{n:04}")), "row {n}");
    }
    let total: rust_decimal::Decimal = e.rows.iter().map(|r| r.cost).sum();
    assert!(t.contains(&plain(&words::rub_with_words(total))), "the total in words");
}

#[test]
fn a_broken_template_is_refused_with_the_line() {
    let bad = format!("{}\n.абзац Сумма: {{total.sum}}\n", acts::DEFAULT_TEMPLATE);
    let line = bad.lines().count();
    let e = acts::pdf(&act(ActKind::Standalone), Some(&bad), created()).unwrap_err();
    assert_eq!(
        e.message,
        format!("Шаблон «акт», строка {line}: неизвестное поле {{total.sum}}; допустимые поля перечислены в README шаблонов")
    );
}

/// One row longer than a page (a long list of work inside one cell) is cut between lines and
/// continues under the repeated header; no line is lost and the lines keep their order.
#[test]
fn a_row_taller_than_a_page_continues_on_the_next_pages() {
    use cpe_core::document::{Block, Cell, Document, Meta, Row, Table};
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (1..=150).map(|n| format!("Работа {n:03} выполнена")).collect();
    let header = vec![Row::new(vec![
        Cell::new("№").bold(),
        Cell::new("Состав работ").bold(),
        Cell::new("Сумма").bold(),
    ])];
    let rows = vec![
        Row::new(vec![Cell::new("1"), Cell::new("Короткая строка"), Cell::new("10,00")]),
        Row::new(vec![
            Cell::new("2"),
            Cell::new(lines.join("\n")),
            Cell::new("20,00").right(),
        ]),
        Row::new(vec![Cell::new("3"), Cell::new("Последняя строка"), Cell::new("30,00")]),
    ];
    let doc = Document {
        meta: Meta {
            title: "Длинная строка таблицы".into(),
            author: "ЦПЭ".into(),
            subject: "Проверка".into(),
            created: created(),
        },
        sections: vec![vec![Block::Table(Table::new(vec![15.0, 120.0, 35.0], header, rows))]],
    };
    let p = save(dir.path(), "tall-row.pdf", &cpe_core::document::render(&doc).unwrap());
    let n = pages(&p);
    assert_eq!(n, cpe_core::document::page_count(&doc));
    // 150 lines of 10 pt take about 3 pages of 257 mm.
    assert!((3..=4).contains(&n), "{n} pages");
    let mut last_page = 0;
    for (i, line) in lines.iter().enumerate() {
        let on: Vec<usize> = (1..=n)
            .filter(|&pg| page_text(&p, pg).contains(line.as_str()))
            .collect();
        assert_eq!(on.len(), 1, "«{line}» on pages {on:?}");
        assert!(on[0] >= last_page, "line {i} goes back to page {}", on[0]);
        last_page = on[0];
    }
    for pg in 1..=n {
        assert!(
            page_text(&p, pg).contains("№ Состав работ Сумма"),
            "page {pg} lacks the header"
        );
    }
    let t = text(&p);
    assert!(t.contains("Короткая строка") && t.contains("Последняя строка 30,00"));
    assert!(page_text(&p, n).contains("Последняя строка"));
}
