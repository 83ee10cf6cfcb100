//! Helpers of the CLI's tests on the centre's server (office mode): `cpe` run against a database of the test cluster `make test` starts (`cpe_core::db::test_cluster`).

use std::process::{Command, Output};

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
