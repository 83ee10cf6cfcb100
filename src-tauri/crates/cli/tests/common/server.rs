//! Helpers of the CLI's tests on the centre's server (office mode): a fresh database on the test cluster `make test` starts, and `cpe` run against it.

use std::process::{Command, Output};

/// A new empty database on the test cluster, or `None` without one (a plain `cargo test`; under
/// CI that is an error, so these tests never pass unrun).
pub fn fresh_url(name: &str) -> Option<String> {
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

/// Runs `cpe` on the server at `url` (from an empty data directory) with `env` added.
pub fn cpe_env(url: &str, env: &[(&str, &str)], args: &[&str]) -> Output {
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

/// Runs `cpe` on the server at `url` as the journal's «Петрова А. С.» (a database before accounts).
pub fn cpe(url: &str, args: &[&str]) -> Output {
    let mut all = vec!["--actor", "Петрова А. С."];
    all.extend_from_slice(args);
    cpe_env(url, &[], &all)
}

/// Runs `cpe` on the server, which must succeed; its standard output.
pub fn ok(url: &str, args: &[&str]) -> String {
    super::succeeded(args, cpe(url, args))
}
