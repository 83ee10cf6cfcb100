//! Helpers shared by the CLI's end-to-end tests: run the built `cpe` on a data directory as one staff member, expect success or failure, read JSON.
#![allow(dead_code)] // each test binary uses its own subset

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

pub mod server;

pub fn cpe(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cpe"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--actor", "Петрова А. С."])
        .args(args)
        .output()
        .unwrap()
}

/// Runs `cpe` logged in as `login` with `password` (a database with accounts).
pub fn cpe_as(dir: &Path, (login, password): (&str, &str), args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cpe"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--user", login])
        .env("CPE_PASSWORD", password)
        .args(args)
        .output()
        .unwrap()
}

/// The standard output of a command that must succeed.
pub fn succeeded(args: &[&str], out: Output) -> String {
    assert!(
        out.status.success(),
        "cpe {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `cpe`, which must succeed; its standard output.
pub fn ok(dir: &Path, args: &[&str]) -> String {
    succeeded(args, cpe(dir, args))
}

/// Runs `cpe`, which must fail; its standard error (the Russian reason).
pub fn fails(dir: &Path, args: &[&str]) -> String {
    let out = cpe(dir, args);
    assert!(
        !out.status.success(),
        "cpe {args:?} must fail: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr).unwrap()
}

pub fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Records that the SME with `inn` passed every §4 criterion, as signing its agreement needs (the
/// check is made in the app: the CLI has no command for it).
pub fn checked(dir: &Path, inn: &str) {
    use cpe_core::eligibility::{self, CheckInput, CheckSource, Criterion, CriterionResult, Outcome};
    let mut conn = cpe_core::db::open_in(dir).unwrap();
    let sme = cpe_core::sme::get_by_inn(&conn, inn).unwrap().unwrap();
    let ctx = cpe_core::audit::Ctx::new("Тест", chrono::Local::now().naive_local());
    let criteria = Criterion::required_for(sme.input.kind)
        .into_iter()
        .map(|c| CriterionResult::new(c, Outcome::Pass, "проверено"))
        .collect();
    let input = CheckInput {
        sme_id: sme.id,
        source: CheckSource::Manual {
            comment: "сайт ФНС".into(),
        },
        criteria,
    };
    eligibility::record(&mut conn, &ctx, &input).unwrap();
}

/// The arguments of `cpe sme add` for a small legal entity.
pub fn small_sme<'a>(inn: &'a str, name: &'a str) -> [&'a str; 10] {
    [
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
    ]
}
