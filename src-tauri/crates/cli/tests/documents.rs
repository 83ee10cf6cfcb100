//! `cpe pdf …` end to end: records created through the CLI, their agreement, act, acts of a period, refusal and extract written as PDFs and read back with poppler (pdftotext, pdfinfo); the archive keeps versions, scans and the signed mark.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{fails, json, ok};
use serde_json::Value;

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed (poppler-utils): {e}"));
    assert!(out.status.success(), "{name} {args:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The PDF's text with every run of whitespace (non-breaking included) made one space.
fn text(p: &Path) -> String {
    tool("pdftotext", &["-layout", p.to_str().unwrap(), "-"])
        .split(char::is_whitespace)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn pages(p: &Path) -> u32 {
    let info = tool("pdfinfo", &[p.to_str().unwrap()]);
    let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
    line["Pages:".len()..].trim().parse().unwrap()
}

fn out(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    // `CPE_DOC_OUT=DIR` keeps a copy to look at (pdftoppm -png).
    if let Ok(keep) = std::env::var("CPE_DOC_OUT") {
        let _ = std::fs::create_dir_all(&keep);
    }
    p
}

fn keep(p: &Path) {
    if let Ok(keep) = std::env::var("CPE_DOC_OUT") {
        std::fs::copy(p, Path::new(&keep).join(p.file_name().unwrap())).unwrap();
    }
}

const INN: &str = "7707083893";

/// The centre's requisites, an SME checked against §4 with its head, a 2025 budget, and an
/// agreement on service 4.2 signed and closed by one act.
fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (k, v) in [
        (
            "full_name",
            "Автономная некоммерческая организация «Центр поддержки экспорта Хабаровского края»",
        ),
        ("short_name", "АНО «ЦПЭ Хабаровского края»"),
        ("city", "г. Хабаровск"),
        ("legal_address", "680000, г. Хабаровск, ул. Муравьёва-Амурского, д. 1"),
        ("head_position", "директор"),
        ("head_name", "Сидорова Мария Ивановна"),
    ] {
        ok(d, &["settings", "set", k, v]);
    }
    ok(
        d,
        &[
            "sme",
            "add",
            "--kind",
            "ul",
            "--inn",
            INN,
            "--name",
            "ООО «Ромашка»",
            "--region",
            "27",
        ],
    );
    ok(
        d,
        &[
            "budget",
            "set",
            "--year",
            "2025",
            "--service",
            "4.2",
            "--amount",
            "5000000",
        ],
    );
    let mut conn = cpe_core::db::open_in(d).unwrap();
    let sme = cpe_core::sme::get_by_inn(&conn, INN).unwrap().unwrap();
    let ctx = cpe_core::audit::Ctx::new("Тест", chrono::Local::now().naive_local());
    let mut input = sme.input.clone();
    input.full_name = "Общество с ограниченной ответственностью «Ромашка»".into();
    input.short_name = "ООО «Ромашка»".into();
    input.head_position = "генеральный директор".into();
    input.head_name = "Петров Пётр Петрович".into();
    cpe_core::sme::update(&mut conn, &ctx, sme.id, &input).unwrap();
    drop(conn);
    common::checked(d, INN);
    dir
}

fn application(d: &Path) -> String {
    json(&ok(
        d,
        &[
            "application",
            "add",
            "--inn",
            INN,
            "--service",
            "4.2",
            "--received",
            "2025-03-03",
            "--channel",
            "email",
            "--json",
        ],
    ))["id"]
        .to_string()
}

/// A signed agreement on 4.2 (cost `cost`, SME share `share`) and its act for the whole cost; returns the agreement.
fn agreement_with_act(d: &Path, cost: &str, share: &str, act_date: &str) -> Value {
    let app = application(d);
    ok(d, &["application", "move", &app, "--to", "under-review"]);
    ok(d, &["application", "move", &app, "--to", "approved"]);
    let a = json(&ok(
        d,
        &[
            "agreement",
            "add",
            "--inn",
            INN,
            "--service",
            "4.2",
            "--application",
            &app,
            "--date",
            "2025-03-06",
            "--item",
            &format!("4.2:{cost}:{share}"),
            "--pay",
            &format!("2025-03-20:{share}"),
            "--declaration",
            "--json",
        ],
    ));
    let id = a["id"].to_string();
    ok(d, &["agreement", "sign", &id, "--received", "2025-03-07"]);
    ok(
        d,
        &[
            "act",
            "add",
            "--agreement",
            &id,
            "--date",
            act_date,
            "--item",
            &format!("4.2:{cost}"),
        ],
    );
    a
}

#[test]
fn agreement_and_act_from_records_with_versions_scan_and_signature() {
    let dir = setup();
    let d = dir.path();
    let a = agreement_with_act(d, "500000", "100000", "2025-04-01");
    assert_eq!(a["number"], "1/2025-С");

    let file = out(d, "agreement.pdf");
    let said = ok(d, &["pdf", "agreement", "1/2025-С", "--out", file.to_str().unwrap()]);
    assert!(said.contains("версия 1"), "{said}");
    keep(&file);
    let t = text(&file);
    for want in [
        "СОГЛАШЕНИЕ № 1/2025-С",
        "Общество с ограниченной ответственностью «Ромашка»",
        "АНО «ЦПЭ Хабаровского края»",
        "ИНН 7707083893",
        "500 000,00",
        "100 000,00",
        "400 000,00",
        "Пятьсот тысяч рублей 00 копеек",
        "Сто тысяч рублей 00 копеек",
        "П. П. Петров",
        "М. И. Сидорова",
    ] {
        assert!(t.contains(want), "agreement lacks «{want}»: {t}");
    }
    let agreement_pages = pages(&file);
    assert!(
        agreement_pages >= 2 && agreement_pages % 2 == 0,
        "two copies: {agreement_pages}"
    );

    // The same record gives the same version; a changed centre name gives a new one, the old stays.
    let said = ok(d, &["pdf", "agreement", "1/2025-С", "--out", file.to_str().unwrap()]);
    assert!(said.contains("версия 1"), "{said}");
    ok(d, &["settings", "set", "short_name", "АНО «Центр поддержки экспорта»"]);
    let said = ok(d, &["pdf", "agreement", "1/2025-С", "--out", file.to_str().unwrap()]);
    assert!(said.contains("версия 2"), "{said}");
    assert!(text(&file).contains("АНО «Центр поддержки экспорта»"));
    let archive = json(&ok(d, &["pdf", "list", "--json"]));
    assert_eq!(archive.as_array().unwrap().len(), 2);
    assert_ne!(archive[0]["sha256"], archive[1]["sha256"]);
    assert_eq!(archive[0]["sha256"].as_str().unwrap().len(), 64);

    // The act, by its number within the agreement and by its code.
    let acts = json(&ok(d, &["act", "list", "--json"]));
    assert_eq!(acts[0]["document_id"], Value::Null);
    let act_id = acts[0]["act_id"].to_string();
    let file = out(d, "act.pdf");
    ok(
        d,
        &[
            "pdf",
            "act",
            "1",
            "--agreement",
            "1/2025-С",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    keep(&file);
    let t = text(&file);
    for want in [
        "№ 1/2025-С",
        "ООО «Ромашка»",
        "500 000,00",
        "Пятьсот тысяч рублей 00 копеек",
        "«01» апреля 2025 г.",
    ] {
        assert!(t.contains(want), "act lacks «{want}»: {t}");
    }
    assert_eq!(pages(&file), 1);
    let said = ok(d, &["pdf", "act", &act_id, "--out", file.to_str().unwrap()]);
    assert!(said.contains("версия 1"), "{said}");

    // Unsigned until the signed paper is marked; a scan must be PDF/JPEG/PNG.
    let unsigned = json(&ok(d, &["act", "list", "--unsigned", "--json"]));
    assert_eq!(unsigned.as_array().unwrap().len(), 1);
    let doc = unsigned[0]["document_id"].to_string();
    let bad = d.join("scan.txt");
    std::fs::write(&bad, "not a scan").unwrap();
    let err = fails(d, &["pdf", "scan", &doc, bad.to_str().unwrap()]);
    assert!(err.contains("PDF, JPEG или PNG"), "{err}");
    let scan = d.join("подписанный акт.png");
    std::fs::write(&scan, b"\x89PNG\r\n\x1a\n0000").unwrap();
    assert!(ok(d, &["pdf", "scan", &doc, scan.to_str().unwrap()]).contains("подписанный акт.png"));
    let err = fails(d, &["pdf", "sign", &doc, "--date", "2025-03-01"]);
    assert!(err.contains("не раньше даты документа"), "{err}");
    ok(d, &["pdf", "sign", &doc, "--date", "2025-04-02"]);
    assert_eq!(
        json(&ok(d, &["act", "list", "--unsigned", "--json"])),
        Value::Array(vec![])
    );
    assert!(ok(d, &["act", "list"]).contains("подписанный экземпляр в архиве"));
}

#[test]
fn acts_of_a_period_refusal_and_extract() {
    let dir = setup();
    let d = dir.path();
    agreement_with_act(d, "500000", "100000", "2025-04-01");
    agreement_with_act(d, "250000", "50000", "2025-05-15");

    let one = out(d, "act.pdf");
    ok(
        d,
        &[
            "pdf",
            "act",
            "1",
            "--agreement",
            "1/2025-С",
            "--out",
            one.to_str().unwrap(),
        ],
    );
    let file = out(d, "acts.pdf");
    let said = ok(
        d,
        &[
            "pdf",
            "acts",
            "--from",
            "2025-04-01",
            "--to",
            "2025-05-31",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(said.contains(": 2"), "{said}");
    assert_eq!(pages(&file), 2 * pages(&one));
    let t = text(&file);
    assert!(t.contains("1/2025-С") && t.contains("2/2025-С"), "{t}");
    assert!(t.contains("Двести пятьдесят тысяч рублей 00 копеек"), "{t}");
    ok(
        d,
        &[
            "pdf",
            "acts",
            "--from",
            "2025-05-01",
            "--to",
            "2025-05-31",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(pages(&file), pages(&one));
    let err = fails(
        d,
        &[
            "pdf",
            "acts",
            "--from",
            "2025-06-01",
            "--to",
            "2025-06-30",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(err.contains("актов нет"), "{err}");

    let app = application(d);
    let err = fails(d, &["pdf", "refusal", &app, "--out", file.to_str().unwrap()]);
    assert!(err.contains("отказом ЦПЭ"), "{err}");
    ok(
        d,
        &[
            "application",
            "refuse",
            &app,
            "--reason",
            "6.1.2",
            "--text",
            "лимит сметы на 4.2 исчерпан",
        ],
    );
    let file = out(d, "refusal.pdf");
    ok(d, &["pdf", "refusal", &app, "--out", file.to_str().unwrap()]);
    keep(&file);
    let t = text(&file);
    for want in ["Ромашка", "6.1.2", "лимит сметы на 4.2 исчерпан", "03.03.2025"] {
        assert!(t.contains(want), "refusal lacks «{want}»: {t}");
    }
    assert_eq!(pages(&file), 1);

    let file = out(d, "extract.pdf");
    ok(d, &["pdf", "extract", INN, "--out", file.to_str().unwrap()]);
    keep(&file);
    let t = text(&file);
    for want in [
        "Общество с ограниченной ответственностью «Ромашка»",
        "1/2025-С",
        "2/2025-С",
        "750 000,00",
        "Семьсот пятьдесят тысяч рублей 00 копеек",
    ] {
        assert!(t.contains(want), "extract lacks «{want}»: {t}");
    }
    let archive = json(&ok(d, &["pdf", "list", "--json"]));
    let kinds: Vec<&str> = archive
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    // The two batches printed above are archived too, each for its period.
    assert_eq!(kinds, ["extract", "refusal", "acts_batch", "acts_batch", "act"]);
}
