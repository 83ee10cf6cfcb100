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
        ok(&url, &common::small_sme(inn, name));
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
    // Never the local file in place of the server: its backup folder is the administrator's…
    let copy = cpe(&url, &["backup", "create"]);
    assert!(!copy.status.success());
    assert!(String::from_utf8_lossy(&copy.stderr).contains("pg_dump"));
    // …and a copy of its data as of one moment goes into a new file that opens as a local base.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("копия-сервера.sqlite3");
    let saved = ok(&url, &["backup", file.to_str().unwrap()]);
    assert!(saved.contains("Копия данных сервера сохранена"), "{saved}");
    let args = ["--data-dir", dir.path().to_str().unwrap(), "sme", "list"];
    std::fs::rename(&file, dir.path().join("cpe.sqlite3")).unwrap();
    let listed = succeeded(
        &args,
        Command::new(env!("CARGO_BIN_EXE_cpe")).args(args).output().unwrap(),
    );
    assert!(listed.contains("ООО «Ромашка»"), "{listed}");
    let journal = ok(&url, &["audit", "list", "--kind", "database"]);
    assert!(
        journal.contains("копия-сервера.sqlite3"),
        "the copy is in the journal: {journal}"
    );
    ok(&url, &["check"]);
    let y = json(&ok(&url, &["report", "yearly", "--year", "2025", "--json"]));
    assert_eq!(y["kpis"]["smes_supported"], 0, "nothing acted yet");
}

/// Issue 16: a centre's local database (the small demo) moved to the server — every table's rows,
/// the yearly report's figures and every archived document's hash the same there — and the
/// server's data written back into a new local file that reads the same again.
#[test]
fn the_small_demo_moves_to_the_server_and_back_exactly() {
    let Some(url) = fresh_url("import") else { return };
    let local = tempfile::tempdir().unwrap();
    common::ok(local.path(), &["demo"]);
    // Two agreements printed, so the archive holds PDFs to compare.
    let numbers: Vec<String> = {
        let file = rusqlite::Connection::open(local.path().join("cpe.sqlite3")).unwrap();
        let mut st = file
            .prepare("SELECT number FROM agreement ORDER BY id LIMIT 2")
            .unwrap();
        st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    for n in &numbers {
        let pdf = local.path().join(format!("{}.pdf", n.replace('/', "-")));
        let args = ["pdf", "agreement", n.as_str(), "--out", pdf.to_str().unwrap()];
        succeeded(&args, common::cpe_as(local.path(), ("primerov", "demo-2026"), &args));
    }
    // The head of the demo centre, on the local file or (with a URL) on the server — there as the
    // server's login, with the password the administrator gave it after the move.
    let on_server = format!("{url} user=primerov password=Сервер-2026");
    let head = |dir: &std::path::Path, url: Option<&str>, args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_cpe"));
        c.arg("--data-dir").arg(dir);
        match url {
            Some(_) => c.env("CPE_DATABASE_URL", &on_server),
            None => c.args(["--user", "primerov"]).env("CPE_PASSWORD", "demo-2026"),
        };
        succeeded(args, c.args(args).output().unwrap())
    };
    let import = ["server", "import-local"];
    let imported = succeeded(
        &import,
        Command::new(env!("CARGO_BIN_EXE_cpe"))
            .arg("--data-dir")
            .arg(local.path())
            .env("CPE_DATABASE_URL", &url)
            .args(import)
            .output()
            .unwrap(),
    );
    assert!(imported.contains("cpe server passwd primerov"), "{imported}");
    succeeded(
        &["server", "passwd"],
        cpe_env(
            &url,
            &[("CPE_NEW_PASSWORD", "Сервер-2026")],
            &["server", "passwd", "primerov"],
        ),
    );
    let file = rusqlite::Connection::open(local.path().join("cpe.sqlite3")).unwrap();
    let rows = |table: &str| -> i64 {
        file.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    for table in [
        "sme",
        "agreement",
        "act",
        "payment",
        "document",
        "audit_log",
        "event_participant",
    ] {
        assert!(
            imported.lines().any(|l| l == format!("{table}\t{}", rows(table))),
            "{table}: {} rows expected in\n{imported}",
            rows(table)
        );
    }
    let hashes: String = file
        .query_row(
            "SELECT group_concat(sha256, ',') FROM (SELECT sha256 FROM document ORDER BY id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut server = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let on_server: String = server
        .query_one("SELECT string_agg(sha256, ',' ORDER BY id) FROM document", &[])
        .unwrap()
        .get(0);
    assert_eq!(on_server, hashes, "every archived document, byte for byte");

    let figures = |json: &str| {
        let v = common::json(json);
        (v["kpis"].clone(), v["services"].clone())
    };
    let year = chrono::Datelike::year(&chrono::Local::now().date_naive()) - 1;
    let year = year.to_string();
    let report = ["report", "yearly", "--year", year.as_str(), "--json"];
    let on_file = head(local.path(), None, &report);
    let there = head(local.path(), Some(&url), &report);
    assert_eq!(figures(&there), figures(&on_file), "the yearly report from the server");

    let back = tempfile::tempdir().unwrap();
    let out = back.path().join("cpe.sqlite3");
    let exported = ok(&url, &["server", "export-local", "--out", out.to_str().unwrap()]);
    assert!(exported.contains("Всего строк"), "{exported}");
    // The passwords stayed on the server: the exported file is opened as one before accounts
    // (its head sets up a password on first start; until then the CLI works as that setup).
    let args = ["--data-dir", back.path().to_str().unwrap()];
    let again = succeeded(
        &report,
        Command::new(env!("CARGO_BIN_EXE_cpe"))
            .args(args)
            .args(report)
            .output()
            .unwrap(),
    );
    assert_eq!(
        figures(&again),
        figures(&on_file),
        "the yearly report from the exported file"
    );
    let refused = cpe(&url, &["server", "export-local", "--out", out.to_str().unwrap()]);
    assert!(!refused.status.success(), "an existing file is not overwritten");
}

fn cpe_env(url: &str, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_cpe"))
        .arg("--data-dir")
        .arg(dir.path())
        .env("CPE_DATABASE_URL", url)
        .envs(env.iter().copied())
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_administrator_adds_the_staff_and_the_server_holds_each_to_their_role() {
    let Some(url) = fresh_url("roles") else { return };
    let first = [("CPE_NEW_PASSWORD", "Руководитель-2026")];
    let init = succeeded(
        &["server", "init"],
        cpe_env(
            &url,
            &first,
            &[
                "server",
                "init",
                "--head-login",
                "head_cli",
                "--head-name",
                "Иванова Анна Сергеевна",
            ],
        ),
    );
    assert!(
        init.contains("Иванова Анна Сергеевна») добавлен") || init.contains("добавлен: логин head_cli"),
        "{init}"
    );
    let add = succeeded(
        &["server", "add-user"],
        cpe_env(
            &url,
            &[("CPE_NEW_PASSWORD", "Специалист-2026")],
            &[
                "server",
                "add-user",
                "Spec_Cli",
                "--role",
                "specialist",
                "--name",
                "Петров Пётр Ильич",
            ],
        ),
    );
    assert!(add.contains("логин spec_cli на сервере, роль — специалист"), "{add}");

    // The specialist connects as themselves: the registry is theirs, the budget is not — the
    // core says so, and the server would too.
    let specialist = format!("{url} user=spec_cli password=Специалист-2026");
    ok(&specialist, &common::small_sme("7707083893", "ООО «Ромашка»"));
    let budget = cpe(&specialist, &["budget", "set", "--year", "2026", "--total", "1000000"]);
    assert!(!budget.status.success());
    assert!(String::from_utf8_lossy(&budget.stderr).contains("Недостаточно прав"));
    let wrong = cpe(&format!("{url} user=spec_cli password=не-тот"), &["sme", "list"]);
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("не принял пароль"));
    // The journal names the login the server authenticated, not `--actor`.
    let journal = ok(&specialist, &["audit", "list", "--kind", "sme"]);
    assert!(journal.contains("Петров Пётр Ильич"), "{journal}");
    assert!(!journal.contains("Петрова А. С."), "{journal}");

    // The head manages the budget; the administrator, once the centre has its head, is no
    // colleague and does no daily work.
    let head = format!("{url} user=head_cli password=Руководитель-2026");
    ok(&head, &["budget", "set", "--year", "2026", "--total", "1000000"]);
    let admin = cpe(&url, &["sme", "list"]);
    assert!(String::from_utf8_lossy(&admin.stderr).contains("не заведён среди сотрудников"));
}
