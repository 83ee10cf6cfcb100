//! `cpe --user` and `cpe staff`: a database with accounts is used only after a login, each role is refused what it may not do, and passwords are changed and reset from the terminal.

use std::path::Path;
use std::process::{Command, Output};

fn cpe(dir: &Path, user: Option<(&str, &str)>, new_password: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cpe"));
    c.arg("--data-dir")
        .arg(dir)
        .env_remove("CPE_PASSWORD")
        .env_remove("CPE_NEW_PASSWORD")
        .env_remove("CPE_USER");
    if let Some((login, password)) = user {
        c.args(["--user", login]).env("CPE_PASSWORD", password);
    }
    if let Some(p) = new_password {
        c.env("CPE_NEW_PASSWORD", p);
    }
    c.args(args).output().unwrap()
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(out: Output) -> String {
    assert!(
        !out.status.success(),
        "must fail: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr).unwrap()
}

const HEAD: Option<(&str, &str)> = Some(("ivanova", "Директор-2026"));

#[test]
fn a_database_with_accounts_needs_a_login_and_each_role_its_rights() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // While there is no head account, the CLI sets the database up.
    ok(cpe(
        d,
        None,
        Some("Директор-2026"),
        &[
            "staff",
            "add",
            "--name",
            "Иванова И. И.",
            "--login",
            "ivanova",
            "--role",
            "head",
            "--position",
            "Директор",
        ],
    ));
    let e = fails(cpe(d, None, None, &["sme", "list"]));
    assert!(e.contains("укажите --user"), "{e}");
    let e = fails(cpe(d, Some(("ivanova", "не тот")), None, &["sme", "list"]));
    assert!(e.contains("Неверный пароль"), "{e}");
    let e = fails(cpe(
        d,
        Some(("ivanova", "Директор-2026")),
        None,
        &["staff", "add", "--name", "Без пароля", "--login", "np"],
    ));
    assert!(e.contains("CPE_NEW_PASSWORD"), "{e}");

    ok(cpe(
        d,
        HEAD,
        Some("Начальный-1"),
        &[
            "staff",
            "add",
            "--name",
            "Бухова Б. Б.",
            "--login",
            "buhova",
            "--role",
            "accountant",
        ],
    ));
    ok(cpe(
        d,
        HEAD,
        Some("Начальный-2"),
        &["staff", "add", "--name", "Спецова С. С.", "--login", "spec"],
    ));
    let buh = Some(("buhova", "Начальный-1"));
    let spec = Some(("spec", "Начальный-2"));
    let e = fails(cpe(
        d,
        buh,
        None,
        &[
            "sme",
            "add",
            "--kind",
            "ul",
            "--inn",
            "7707083893",
            "--name",
            "ООО «Проба»",
        ],
    ));
    assert!(
        e.contains("можно только руководителю и специалисту") && e.contains("бухгалтер"),
        "{e}"
    );
    ok(cpe(
        d,
        spec,
        None,
        &[
            "sme",
            "add",
            "--kind",
            "ul",
            "--inn",
            "7707083893",
            "--name",
            "ООО «Проба»",
        ],
    ));
    let e = fails(cpe(d, spec, None, &["settings", "set", "city", "г. Москва"]));
    assert!(e.contains("Недостаточно прав"), "{e}");
    let e = fails(cpe(
        d,
        spec,
        None,
        &[
            "budget",
            "set",
            "--year",
            "2026",
            "--service",
            "4.2",
            "--amount",
            "1000000",
        ],
    ));
    assert!(e.contains("изменять смету можно только руководителю"), "{e}");
    ok(cpe(
        d,
        HEAD,
        None,
        &[
            "budget",
            "set",
            "--year",
            "2026",
            "--service",
            "4.2",
            "--amount",
            "1000000",
        ],
    ));
    let e = fails(cpe(d, spec, Some("Захват-2026"), &["staff", "passwd", "ivanova"]));
    assert!(
        e.contains("управлять учётными записями сотрудников можно только руководителю"),
        "{e}"
    );

    // Own password: the current one from CPE_PASSWORD, the new one from CPE_NEW_PASSWORD.
    ok(cpe(d, spec, Some("Мой-пароль-9"), &["staff", "passwd", "spec"]));
    fails(cpe(d, spec, None, &["sme", "list"]));
    ok(cpe(d, Some(("spec", "Мой-пароль-9")), None, &["sme", "list"]));

    // The head changes a role and deactivates; the journal says who did what, in words.
    ok(cpe(d, HEAD, None, &["staff", "role", "buhova", "viewer"]));
    ok(cpe(d, HEAD, None, &["staff", "deactivate", "spec"]));
    let e = fails(cpe(d, Some(("spec", "Мой-пароль-9")), None, &["sme", "list"]));
    assert!(e.contains("отключена"), "{e}");
    let list = ok(cpe(d, HEAD, None, &["staff", "list"]));
    assert!(
        list.contains("Спецова С. С.\tспециалист") && list.contains("(отключён)"),
        "{list}"
    );
    let log = ok(cpe(
        d,
        HEAD,
        None,
        &["audit", "list", "--record", "staff:2", "--limit", "20"],
    ));
    assert!(log.contains("Роль: бухгалтер → наблюдатель"), "{log}");
    let by_login = ok(cpe(
        d,
        HEAD,
        None,
        &["audit", "list", "--who", "spec", "--action", "create", "--json"],
    ));
    assert!(by_login.contains("ООО «Проба»"), "{by_login}");
    let failed = ok(cpe(
        d,
        HEAD,
        None,
        &["audit", "list", "--action", "login_failed", "--json"],
    ));
    let failed: serde_json::Value = serde_json::from_str(&failed).unwrap();
    assert_eq!(failed["total"].as_u64(), Some(3), "{failed}");
    let text = std::fs::read(d.join("cpe.sqlite3")).unwrap();
    for secret in ["Директор-2026", "Мой-пароль-9", "Начальный-1"] {
        assert!(
            !String::from_utf8_lossy(&text).contains(secret),
            "a password in clear in the file"
        );
    }
}
