//! `cpe` on the centre's PostgreSQL server (office mode): a database prepared by `cpe server init`, then the registry, an application and an agreement through the same commands as on the file — on the throw-away cluster `make test` starts (`CPE_TEST_DATABASE_URL`).

mod common;

use std::process::Command;

use common::{json, succeeded};

/// A new empty database on the test cluster, or `None` without one (a plain `cargo test`; under
/// CI that is an error, so these tests never pass unrun).
fn fresh_url(name: &str) -> Option<String> {
    let Ok(admin) = std::env::var("CPE_TEST_DATABASE_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CPE_TEST_DATABASE_URL is not set: run `make test-rust`"
        );
        return None;
    };
    let db = format!("cpe_cli_{name}_{}", std::process::id());
    let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {db}")).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
    Some(format!("{admin} dbname={db}"))
}

fn cpe(url: &str, args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_cpe"))
        .arg("--data-dir")
        .arg(dir.path())
        .env("CPE_DATABASE_URL", url)
        .args(["--actor", "Петрова А. С."])
        .args(args)
        .output()
        .unwrap()
}

fn ok(url: &str, args: &[&str]) -> String {
    succeeded(args, cpe(url, args))
}

#[test]
fn the_registry_applications_and_agreements_work_on_the_server() {
    let Some(url) = fresh_url("round_trip") else { return };
    let refused = cpe(&url, &["sme", "list"]);
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("cpe server init"), "{why}");

    let init = ok(&url, &["server", "init"]);
    assert!(init.contains("подготовлена"), "{init}");
    assert!(ok(&url, &["server", "init"]).contains("уже подготовлена"));

    for (inn, name) in [("7707083893", "ООО «Ромашка»"), ("7736207543", "ООО «Василёк»")] {
        ok(
            &url,
            &[
                "sme",
                "add",
                "--kind",
                "ul",
                "--inn",
                inn,
                "--name",
                name,
                "--category",
                "small",
            ],
        );
    }
    let list = ok(&url, &["sme", "list"]);
    let names: Vec<&str> = list.lines().filter_map(|l| l.split('\t').nth(3)).collect();
    assert_eq!(
        names,
        ["ООО «Василёк»", "ООО «Ромашка»"],
        "sorted by name on the server: {list}"
    );
    let found = ok(&url, &["sme", "list", "--search", "васил"]);
    assert_eq!(found.lines().count(), 1, "{found}");
    let twice = cpe(
        &url,
        &[
            "sme",
            "add",
            "--kind",
            "ul",
            "--inn",
            "7707083893",
            "--name",
            "Дубль",
            "--category",
            "small",
        ],
    );
    assert!(!twice.status.success(), "the same INN twice on the server");

    let app = json(&ok(
        &url,
        &[
            "application",
            "add",
            "--inn",
            "7707083893",
            "--service",
            "4.2",
            "--received",
            "2025-03-03",
            "--json",
        ],
    ));
    assert_eq!(app["status"], "new");
    let a = json(&ok(
        &url,
        &[
            "agreement",
            "add",
            "--inn",
            "7707083893",
            "--service",
            "4.2",
            "--date",
            "2025-03-06",
            "--item",
            "4.2:500000:100000",
            "--pay",
            "2025-03-20:100000",
            "--json",
        ],
    ));
    assert_eq!(a["number"], "1/2025-С");
    let y = json(&ok(&url, &["report", "yearly", "--year", "2025", "--json"]));
    assert_eq!(y["kpis"]["smes_supported"], 0, "nothing acted yet");
}
