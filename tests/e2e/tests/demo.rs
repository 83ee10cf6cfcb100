//! The app started with `--demo`: it says it is filling demo data, then shows the registry full of fictitious businesses with the demo mark in the footer, and the other sections have the history (applications, agreements).

use std::time::{Duration, Instant};

use cpe_e2e::*;

/// Filling the small demo data takes a while in a debug build on a busy machine.
const FILL_TIMEOUT: Duration = Duration::from_secs(300);

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
async fn demo_start_shows_a_filled_registry() {
    // --demo ignores the data directory (it makes its own throw-away one); this one stays empty.
    let data = tempfile::tempdir().unwrap();
    let (_driver, app) = launch_retrying_with(data.path(), &["--demo"]).await;

    let started = Instant::now();
    loop {
        if app.find(Locator::Css("[data-testid='demo-mark']")).await.is_ok() {
            break;
        }
        assert!(
            started.elapsed() < FILL_TIMEOUT,
            "the demo data was not ready in {FILL_TIMEOUT:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    wait_plain(&app, "[data-testid='demo-mark']", "Демонстрационные данные").await;
    screenshot(&app, "demo-home").await;
    // The registry lists the demo businesses, each obviously fictitious.
    click(&app, "[data-testid='nav-sme']").await;
    wait_plain(&app, "[data-testid='sme-total']", "300").await;
    let rows = app.find_all(Locator::Css("[data-testid='sme-row']")).await.unwrap();
    assert!(rows.len() >= 10, "only {} rows", rows.len());
    find(&app, "[data-testid='sme-search']")
        .await
        .send_keys("Демо-")
        .await
        .unwrap();
    wait_plain(&app, "[data-testid='sme-row']", "«Демо-").await;
    screenshot(&app, "demo-registry").await;

    // The history is there too.
    click(&app, "[data-testid='nav-agreements']").await;
    wait_plain(&app, "body", "Исполнено").await;
    screenshot(&app, "demo-agreements").await;
    click(&app, "[data-testid='nav-applications']").await;
    wait_plain(&app, "body", "Отказ").await;

    // The empty data directory given to the harness was not touched.
    assert!(!data.path().join("cpe.sqlite3").exists());
    app.close().await.unwrap();
}

/// Issue 14: the demo directory stayed behind when the app was ended by SIGTERM. It is removed
/// then too, and a leftover of a run that died (a process that no longer exists) is removed at the
/// next start.
#[cfg(unix)]
#[test]
#[ignore = "drives the real app under Xvfb: make test-e2e"]
fn the_demo_directory_goes_with_sigterm_and_leftovers_of_dead_runs_at_start() {
    let cache = tempfile::tempdir().unwrap();
    let demo_root = cache.path().join("cpe-desktop-dev").join("demo");
    let leftover = demo_root.join("cpe-demo-4194301");
    std::fs::create_dir_all(leftover.join("sub")).unwrap();
    let mut app = std::process::Command::new(app_binary())
        .arg("--demo")
        .env("XDG_CACHE_HOME", cache.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let own = demo_root.join(format!("cpe-demo-{}", app.id()));
    let started = Instant::now();
    while !own.join("cpe.sqlite3").exists() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the demo directory did not appear"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!leftover.exists(), "the leftover of a dead run is removed at start");
    // SAFETY: a plain signal to the child we started.
    unsafe { libc::kill(app.id() as libc::pid_t, libc::SIGTERM) };
    let status = app.wait().unwrap();
    assert!(!status.success(), "ended by the signal");
    assert!(!own.exists(), "the demo directory is removed on SIGTERM");
}
