//! `cpe event …` end to end: a seminar planned, businesses registered one by one and from a CSV list (a bad row named, the rest taken), attendance marked, the attendance sheet printed as a real PDF, and the business present counted in KPI 1 and row 4.1.2 of `cpe report yearly`.

mod common;

use common::{fails, json, ok};

#[test]
fn a_seminar_is_planned_attended_printed_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (inn, name) in [("7707083893", "ООО «Ромашка»"), ("7736207543", "ООО «Василёк»")] {
        ok(d, &common::small_sme(inn, name));
    }
    let e = json(&ok(
        d,
        &[
            "event",
            "add",
            "--service",
            "4.1.2",
            "--title",
            "Экспорт в Казахстан",
            "--date",
            "2025-04-15",
            "--place",
            "г. Тверь, конференц-зал",
            "--cost",
            "45 000",
            "--json",
        ],
    ));
    assert_eq!(e["status"], "planned");
    let id = e["id"].as_i64().unwrap().to_string();
    let refused = fails(
        d,
        &[
            "event",
            "add",
            "--service",
            "4.2",
            "--title",
            "Не то",
            "--date",
            "2025-04-15",
        ],
    );
    assert!(refused.contains("4.1.1 и 4.1.2"), "{refused}");

    ok(
        d,
        &[
            "event",
            "participant",
            "add",
            &id,
            "--inn",
            "7707083893",
            "--person",
            "Иванов Иван",
        ],
    );
    let again = fails(
        d,
        &[
            "event",
            "participant",
            "add",
            &id,
            "--inn",
            "7707083893",
            "--person",
            "Иванов Иван",
        ],
    );
    assert!(again.contains("уже в списке"), "{again}");
    let list = d.join("список.csv");
    std::fs::write(
        &list,
        "ИНН;ФИО участника;Присутствовал\n7736207543;Сидорова Мария;да\n1234567890;Кто-то;да\n",
    )
    .unwrap();
    let imported = common::cpe(d, &["event", "import", &id, list.to_str().unwrap()]);
    assert_eq!(imported.status.code(), Some(1), "a row was not taken");
    let text = String::from_utf8(imported.stdout).unwrap();
    assert!(text.contains("записано: 1") && text.contains("Строка 3:"), "{text}");
    ok(
        d,
        &[
            "event",
            "attend",
            &id,
            "--inn",
            "7707083893",
            "--person",
            "Иванов  Иван",
        ],
    );
    let shown = ok(d, &["event", "show", &id]);
    assert_eq!(shown.matches("присутствовал").count(), 2, "{shown}");

    let sheet = d.join("лист.pdf");
    ok(d, &["event", "sheet", &id, "--out", sheet.to_str().unwrap()]);
    let pdf = std::process::Command::new("pdftotext")
        .args(["-layout", sheet.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let pdf = String::from_utf8(pdf.stdout).unwrap();
    for expected in [
        "ЛИСТ РЕГИСТРАЦИИ УЧАСТНИКОВ",
        "Иванов Иван",
        "Сидорова Мария",
        "ИНН 7736207543",
        "Подпись",
    ] {
        assert!(pdf.contains(expected), "{expected} missing:\n{pdf}");
    }
    ok(d, &["event", "status", &id, "closed"]);
    let late = fails(
        d,
        &[
            "event",
            "attend",
            &id,
            "--inn",
            "7707083893",
            "--person",
            "Иванов Иван",
            "--absent",
        ],
    );
    assert!(late.contains("больше не меняется"), "{late}");

    let y = json(&ok(d, &["report", "yearly", "--year", "2025", "--json"]));
    assert_eq!(y["kpis"]["smes_supported"], 2);
    let row = y["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["service_code"] == "4.1.2")
        .expect("row 4.1.2");
    assert_eq!(
        (row["services"].as_i64(), row["participants"].as_i64()),
        (Some(1), Some(2))
    );
    let journal = ok(d, &["audit", "list", "--record", &format!("event:{id}")]);
    assert!(
        journal.contains("Лист регистрации"),
        "the printed sheet is in the journal:\n{journal}"
    );
}

#[test]
fn a_mission_needs_its_country_its_agreements_name_it_and_the_plan_counts_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &common::small_sme("7707083893", "ООО «Ромашка»"));
    let nowhere = fails(
        d,
        &[
            "event",
            "add",
            "--service",
            "5.4",
            "--title",
            "Миссия",
            "--date",
            "2025-05-20",
        ],
    );
    assert!(nowhere.contains("укажите страну"), "{nowhere}");
    let m = json(&ok(
        d,
        &[
            "event",
            "add",
            "--service",
            "5.4",
            "--title",
            "Бизнес-миссия: Казахстан",
            "--date",
            "2025-05-20",
            "--until",
            "2025-05-23",
            "--country",
            "398",
            "--city",
            "Алматы",
            "--in-plan",
            "--json",
        ],
    ));
    assert_eq!(m["min_participants"], 3);
    let typed = fails(
        d,
        &[
            "agreement",
            "add",
            "--inn",
            "7707083893",
            "--service",
            "5.4",
            "--date",
            "2025-03-06",
            "--item",
            "5.4.b1:300000:0",
            "--item",
            "5.4.a2:10000:0",
            "--participants",
            "5",
        ],
    );
    assert!(typed.contains("выберите мероприятие"), "{typed}");
    let id = m["id"].as_i64().unwrap().to_string();
    let a = json(&ok(
        d,
        &[
            "agreement",
            "add",
            "--inn",
            "7707083893",
            "--service",
            "5.4",
            "--date",
            "2025-03-06",
            "--item",
            "5.4.b1:300000:0",
            "--item",
            "5.4.a2:10000:0",
            "--event",
            &id,
            "--json",
        ],
    ));
    assert_eq!(a["event_title"], "Бизнес-миссия: Казахстан");
    let listed = ok(d, &["event", "list"]);
    assert!(
        listed.contains("подписано соглашений 0 из минимум 3, проектов 1"),
        "{listed}"
    );
    // Two more participants: one with an approved application, one that joins from the event
    // (its application is registered and approved with its agreement).
    ok(d, &common::small_sme("7736050003", "ООО «Колос»"));
    for (inn, name) in [("7736207543", "ООО «Василёк»")] {
        ok(d, &common::small_sme(inn, name));
        let app = json(&ok(
            d,
            &[
                "application",
                "add",
                "--inn",
                inn,
                "--service",
                "5.4",
                "--item",
                "5.4.b1",
                "--item",
                "5.4.a2",
                "--received",
                "2025-03-03",
                "--json",
            ],
        ));
        let app = app["id"].as_i64().unwrap().to_string();
        for to in ["under-review", "approved"] {
            ok(d, &["application", "move", &app, "--to", to]);
        }
    }
    let preview = ok(
        d,
        &[
            "event",
            "agreements",
            &id,
            "--date",
            "2025-03-06",
            "--item",
            "5.4.b1:300000:0",
            "--item",
            "5.4.a2:10000:0",
            "--inn",
            "7736050003",
            "--preview",
        ],
    );
    assert_eq!(preview.lines().count(), 2, "{preview}");
    assert!(!preview.contains("Оформлено"), "{preview}");
    let made = ok(
        d,
        &[
            "event",
            "agreements",
            &id,
            "--date",
            "2025-03-06",
            "--item",
            "5.4.b1:300000:0",
            "--item",
            "5.4.a2:10000:0",
            "--inn",
            "7736050003",
            "--channel",
            "email",
        ],
    );
    assert!(made.contains("Оформлено проектов соглашений: 2"), "{made}");
    let enrolled = ok(d, &["application", "list", "--inn", "7736050003"]);
    assert!(enrolled.contains("Одобрена"), "{enrolled}");
    let listed = ok(d, &["event", "list"]);
    assert!(listed.contains("проектов 3"), "{listed}");
    let plan = ok(d, &["event", "plan", "--year", "2025"]);
    assert!(plan.contains("запланировано 1, проведено 0"), "{plan}");

    // Signed together, then each participant's act made from the event after it ends.
    ok(
        d,
        &[
            "budget",
            "set",
            "--year",
            "2025",
            "--service",
            "5.4",
            "--amount",
            "5000000",
        ],
    );
    for inn in ["7707083893", "7736207543", "7736050003"] {
        common::checked(d, inn);
    }
    let signed = ok(d, &["event", "sign", &id, "--received", "2025-03-06"]);
    assert_eq!(signed.lines().count(), 3, "{signed}");
    let early = fails(d, &["event", "acts", &id, "--date", "2025-05-22"]);
    assert!(early.contains("23.05.2025"), "{early}");
    let preview = ok(d, &["event", "acts", &id, "--date", "2025-05-24", "--preview"]);
    assert_eq!(
        preview.lines().filter(|l| l.contains("акт на 310")).count(),
        3,
        "{preview}"
    );
    let acts = json(&ok(d, &["event", "acts", &id, "--date", "2025-05-24", "--json"]));
    let acts = acts.as_array().unwrap();
    assert_eq!(acts.len(), 3);
    assert!(
        acts.iter().all(|a| a["amount"] == "310000.00" && a["number"] == "1"),
        "{acts:?}"
    );
    let nothing_left = ok(d, &["event", "acts", &id, "--date", "2025-05-24", "--preview"]);
    assert_eq!(nothing_left.matches("уже составлены").count(), 3, "{nothing_left}");
}

#[test]
fn a_selection_is_announced_scored_decided_and_its_protocol_printed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (inn, name) in [("7707083893", "ООО «Ромашка»"), ("7736207543", "ООО «Василёк»")] {
        ok(d, &common::small_sme(inn, name));
    }
    let ex = json(&ok(
        d,
        &[
            "event",
            "add",
            "--service",
            "5.7",
            "--title",
            "Продэкспо-2025",
            "--date",
            "2025-06-10",
            "--country",
            "398",
            "--exhibition",
            "Продэкспо-2025",
            "--json",
        ],
    ));
    let ex = ex["id"].as_i64().unwrap().to_string();
    let late = fails(
        d,
        &[
            "selection",
            "add",
            "--event",
            &ex,
            "--announced",
            "2025-01-15",
            "--deadline",
            "2025-03-05",
            "--places",
            "1",
            "--criterion",
            "Потенциал:10",
        ],
    );
    assert!(late.contains("01.03.2025"), "{late}");
    let s = json(&ok(
        d,
        &[
            "selection",
            "add",
            "--event",
            &ex,
            "--announced",
            "2025-01-15",
            "--deadline",
            "2025-02-10",
            "--places",
            "1",
            "--criterion",
            "Потенциал:10",
            "--criterion",
            "Опыт выставок:5",
            "--json",
        ],
    ));
    let id = s["id"].as_i64().unwrap().to_string();
    ok(
        d,
        &["selection", "apply", &id, "--inn", "7707083893", "--date", "2025-01-20"],
    );
    ok(
        d,
        &["selection", "apply", &id, "--inn", "7736207543", "--date", "2025-01-25"],
    );
    let shown = json(&ok(d, &["selection", "show", &id, "--json"]));
    let apps: Vec<String> = shown["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap().to_string())
        .collect();
    let over = fails(d, &["selection", "score", &apps[0], "11,1"]);
    assert!(over.contains("больше наибольшего"), "{over}");
    ok(d, &["selection", "score", &apps[0], "6,2"]);
    ok(d, &["selection", "score", &apps[1], "9,4"]);
    let decided = ok(
        d,
        &["selection", "decide", &id, "--protocol", "3", "--date", "2025-02-20"],
    );
    assert!(decided.starts_with("1\tООО «Василёк»\t13\tпобедитель"), "{decided}");
    let out = d.join("протокол.pdf");
    ok(d, &["selection", "protocol", &id, "--out", out.to_str().unwrap()]);
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", out.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("ПРОТОКОЛ № 3") && text.contains("победитель"), "{text}");
}
