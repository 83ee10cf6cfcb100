//! The built `cpe` binary end to end through the daily workflow: an application from receipt to a signed agreement, acts completing it, an overdue payment and refusals, against a real database in a temp dir.

mod common;

use std::path::Path;

use common::{cpe, fails, json, ok};
use serde_json::Value;

const INN: &str = "7707083893";

/// An SME checked against §4 (recorded through the core: the CLI has no command for it) and a 2025 budget.
fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(
        dir.path(),
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
        dir.path(),
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
    common::checked(dir.path(), INN);
    dir
}

fn new_application(dir: &Path) -> String {
    let out = ok(
        dir,
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
    );
    json(&out)["id"].to_string()
}

#[test]
fn from_application_to_completed_agreement() {
    let dir = setup();
    let d = dir.path();
    let app = new_application(d);
    ok(
        d,
        &[
            "application",
            "move",
            &app,
            "--to",
            "under-review",
            "--comment",
            "документы получены",
        ],
    );
    let err = fails(d, &["application", "move", &app, "--to", "completed"]);
    assert!(err.contains("нельзя перевести"), "{err}");
    ok(d, &["application", "move", &app, "--to", "approved"]);

    let out = ok(
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
            "4.2:500000:100000",
            "--pay",
            "2025-03-20:100000",
            "--declaration",
            "--json",
        ],
    );
    let agreement = json(&out);
    assert_eq!(agreement["number"], "1/2025-С");
    let id = agreement["id"].to_string();
    ok(d, &["agreement", "check", &id]);
    ok(d, &["agreement", "sign", &id, "--received", "2025-03-07"]);
    let shown = json(&ok(d, &["application", "show", &app, "--json"]));
    assert_eq!(shown["status"], "agreement_concluded");
    assert_eq!(shown["timeline"].as_array().unwrap().len(), 4);
    assert_eq!(shown["timeline"][1]["comment"], "документы получены");
    assert_eq!(shown["timeline"][1]["actor"], "Петрова А. С.");

    // The payment is overdue the day after its due date, and shows among the alerts.
    let late = json(&ok(d, &["payment", "overdue", "--today", "2025-03-21", "--json"]));
    assert_eq!(late[0]["outstanding"], "100000.00");
    assert!(ok(d, &["application", "alerts", "--today", "2025-03-21"]).contains("ПРОСРОЧЕН ПЛАТЁЖ"));
    ok(
        d,
        &[
            "payment",
            "add",
            "--agreement",
            &id,
            "--date",
            "2025-03-21",
            "--amount",
            "100000",
            "--document",
            "п/п 7",
        ],
    );
    assert_eq!(
        json(&ok(d, &["payment", "overdue", "--today", "2025-03-22", "--json"])),
        Value::Array(vec![])
    );

    let err = fails(
        d,
        &[
            "act",
            "add",
            "--agreement",
            &id,
            "--date",
            "2025-04-01",
            "--item",
            "4.2:500000,01",
        ],
    );
    assert!(err.contains("превысит"), "{err}");
    let act = json(&ok(
        d,
        &[
            "act",
            "add",
            "--agreement",
            &id,
            "--date",
            "2025-04-01",
            "--item",
            "4.2:500000",
            "--json",
        ],
    ));
    let out = ok(d, &["act", "sign", &act["id"].to_string(), "--date", "2025-04-02"]);
    assert!(out.contains("Исполнено"), "{out}");
    let list = json(&ok(d, &["agreement", "list", "--json"]));
    assert_eq!(list[0]["status"], "completed");
    assert!(ok(d, &["agreement", "show", &id]).contains("Исполнено: 02.04.2025"));
    assert_eq!(
        json(&ok(d, &["application", "show", &app, "--json"]))["status"],
        "completed"
    );

    // The engine now sees the SME's history: 400 000 of the 1 000 000 cap is used.
    let out = cpe(
        d,
        &[
            "cofinancing",
            "check",
            "--inn",
            INN,
            "--service",
            "4.2",
            "--cost",
            "1000000",
            "--sme-share",
            "200000",
            "--date",
            "2025-05-01",
            "--json",
        ],
    );
    let check = json(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(check["items"][0]["cap"]["used"], "400000.00");
    assert!(check["violations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["code"] == "cap_exceeded"));
    let budget = json(&ok(d, &["budget", "show", "--year", "2025", "--json"]));
    assert_eq!(budget["total"]["spent"], "400000.00");
}

#[test]
fn refusals_with_a_reason_and_for_non_payment() {
    let dir = setup();
    let d = dir.path();
    let first = new_application(d);
    let err = fails(
        d,
        &["application", "refuse", &first, "--reason", "6.1.9", "--text", "x"],
    );
    assert!(err.contains("6.1.5"), "{err}");
    ok(
        d,
        &[
            "application",
            "refuse",
            &first,
            "--reason",
            "6.1.3",
            "--text",
            "не представлены документы",
        ],
    );
    let refused = json(&ok(
        d,
        &["application", "list", "--status", "refused-by-centre", "--json"],
    ));
    assert_eq!(refused.as_array().unwrap().len(), 1);
    assert!(ok(d, &["application", "show", &first]).contains("п. 6.1.3"));

    let app = new_application(d);
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
            "4.2:500000:100000",
            "--pay",
            "2025-03-20:100000",
            "--declaration",
            "--json",
        ],
    ));
    let id = a["id"].to_string();
    let err = fails(
        d,
        &[
            "agreement",
            "amend",
            &id,
            "--number",
            "1",
            "--date",
            "2025-03-10",
            "--item",
            "4.2:600000:120000",
        ],
    );
    assert!(err.contains("подписанному"), "{err}");
    ok(d, &["agreement", "sign", &id, "--received", "2025-03-07"]);
    let err = fails(d, &["payment", "refuse", &id, "--today", "2025-03-20"]);
    assert!(err.contains("нет просроченных"), "{err}");
    let out = ok(d, &["payment", "refuse", &id, "--today", "2025-03-21"]);
    assert!(out.contains("Расторгнуто") && out.contains("6.1.4"), "{out}");
    assert_eq!(
        json(&ok(d, &["application", "show", &app, "--json"]))["refusal"]["reason"],
        "cofinancing_not_paid"
    );
}

#[test]
fn signing_is_refused_with_every_violation() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(
        d,
        &["sme", "add", "--kind", "ul", "--inn", INN, "--name", "ООО «Ромашка»"],
    );
    let a = json(&ok(
        d,
        &[
            "agreement",
            "add",
            "--inn",
            INN,
            "--service",
            "4.2",
            "--date",
            "2025-03-06",
            "--item",
            "4.2:500000:50000",
            "--pay",
            "2025-03-20:50000",
            "--json",
        ],
    ));
    let id = a["id"].to_string();
    let out = cpe(d, &["agreement", "check", &id]);
    assert_eq!(out.status.code(), Some(1));
    let err = fails(d, &["agreement", "sign", &id, "--received", "2025-03-07"]);
    for part in ["раздела 4", "меньше минимальной", "п. 6.1.2", "заявление"] {
        assert!(err.contains(part), "«{part}» missing: {err}");
    }
    assert_eq!(json(&ok(d, &["agreement", "show", &id, "--json"]))["status"], "draft");
}
