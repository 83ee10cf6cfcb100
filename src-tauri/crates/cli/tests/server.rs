//! `cpe` on the centre's PostgreSQL server (office mode): a database prepared by `cpe server init`, then the registry, an application and an agreement through the same commands as on the file — on the throw-away cluster `make test` starts (`CPE_TEST_DATABASE_URL`).

mod common;

use std::process::Command;

use common::server::{cpe, cpe_env, ok};
use common::{json, succeeded};
use cpe_core::db::test_cluster::fresh_url;

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
