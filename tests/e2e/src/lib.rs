//! Harness of the end-to-end tests: starts tauri-driver for the real built app on a private data directory and gives the tests a WebDriver client with waiting helpers.
//!
//! The app binary is `target/debug/cpe-app` (override with `CPE_APP_BIN`); the tests are
//! `#[ignore]`d in a plain `cargo test` and run by `make test-e2e`, which builds the app, starts a
//! PostgreSQL cluster and a password store, and runs them under Xvfb with `--ignored`.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use fantoccini::{elements::Element, Client, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

/// How long to wait for the UI before a test fails (a cold WebKit start under Xvfb takes seconds).
pub const UI_TIMEOUT: Duration = Duration::from_secs(20);

pub fn app_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("CPE_APP_BIN") {
        return PathBuf::from(p);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let bin = target.join("debug/cpe-app");
    assert!(
        bin.exists(),
        "{} is missing: build the app first with `make app-debug`",
        bin.display()
    );
    bin
}

/// A running tauri-driver (which starts WebKitWebDriver, which starts the app per session).
/// Stopped with SIGTERM on drop: SIGKILL would orphan WebKitWebDriver holding its port.
pub struct Driver {
    child: Child,
    pub port: u16,
}

fn port_free(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_err()
}

impl Driver {
    /// Starts tauri-driver on a free pair of ports; the app it starts keeps its data in `data_dir`.
    pub fn start(data_dir: &Path) -> Driver {
        Driver::start_with_env(data_dir, &[])
    }

    /// As [`Driver::start`], with extra environment variables for the app (tauri-driver passes its
    /// environment on), e.g. a PATH with stand-ins for the system's print programs.
    pub fn start_with_env(data_dir: &Path, env: &[(&str, std::ffi::OsString)]) -> Driver {
        let mut port = 4444;
        while !(port_free(port) && port_free(port + 1)) {
            port += 2;
            assert!(port < 4600, "no free port pair for tauri-driver");
        }
        let child = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &(port + 1).to_string()])
            .env("CPE_DATA_DIR", data_dir)
            // The choice of database (local file or server) is the app's own per test, not the
            // OS user's.
            .env("CPE_CONFIG_DIR", data_dir.join(".config"))
            .env("CPE_TEST_DIALOG_ANSWERS", dialog_answers(data_dir))
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tauri-driver is not installed: cargo install tauri-driver --locked");
        let started = Instant::now();
        while port_free(port) {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "tauri-driver did not start listening"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port }
    }

    /// Starts the app in a new WebDriver session and waits for its first screen.
    /// Starts the app and gets past the first setup or the login as the suite's head ([`sign_in`]).
    pub async fn launch(&self) -> Client {
        let client = self.launch_unsigned().await;
        sign_in(&client).await;
        client
    }

    /// Starts the app and leaves it at its first screen (the setup, the login).
    pub async fn launch_unsigned(&self) -> Client {
        let caps = serde_json::json!({
            "browserName": "wry",
            "tauri:options": { "application": app_binary() },
        });
        let caps = caps.as_object().expect("an object").clone();
        // WebKitWebDriver sometimes drops the first session request right after the previous app
        // of the suite closed (hyper's IncompleteMessage): ask again after a pause.
        for attempt in 1..=4 {
            match fantoccini::ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{}", self.port))
                .await
            {
                Ok(client) => return client,
                Err(e) => eprintln!("WebDriver session, attempt {attempt}: {e}"),
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        panic!("no WebDriver session with the app after 4 attempts");
    }
}

/// Starts tauri-driver and the app on `data_dir`, trying again a few times when the session cannot
/// be opened (another suite running at the same moment may take the ports between the check and
/// the start); returns both, the driver to be dropped last.
pub async fn launch_retrying(data_dir: &Path) -> (Driver, Client) {
    launch_retrying_full(data_dir, &[], &[]).await
}

/// The same with command-line arguments for the app (e.g. `--demo`).
pub async fn launch_retrying_with(data_dir: &Path, args: &[&str]) -> (Driver, Client) {
    launch_retrying_full(data_dir, args, &[]).await
}

/// As [`launch_retrying`], with extra environment variables for the app.
pub async fn launch_retrying_with_env(data_dir: &Path, env: &[(&str, std::ffi::OsString)]) -> (Driver, Client) {
    launch_retrying_full(data_dir, &[], env).await
}

/// Starts the app with `args` and `env`, retrying while another suite holds the WebDriver ports.
pub async fn launch_retrying_full(
    data_dir: &Path,
    args: &[&str],
    env: &[(&str, std::ffi::OsString)],
) -> (Driver, Client) {
    for attempt in 1..=4 {
        let driver = Driver::start_with_env(data_dir, env);
        let caps = serde_json::json!({
            "browserName": "wry",
            "tauri:options": { "application": app_binary(), "args": args },
        });
        let caps = caps.as_object().expect("an object").clone();
        match fantoccini::ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
        {
            Ok(client) => {
                sign_in(&client).await;
                return (driver, client);
            }
            Err(e) => eprintln!("WebDriver session, attempt {attempt}: {e}"),
        }
        drop(driver);
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
    panic!("no WebDriver session with the app after 4 attempts");
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// The head account every suite works as: made by the first start's setup, used by each later start.
pub const HEAD_NAME: &str = "Иванов И. И.";
pub const HEAD_LOGIN: &str = "ivanov";
pub const HEAD_PASSWORD: &str = "e2e-Secret-2026";

/// Gets past the first screen as the head: the first setup of a new database (fields the suite
/// left empty are filled), the login of an existing one (the demo's head with the demo password),
/// or nothing when the app shows a database error instead.
pub async fn sign_in(c: &Client) {
    let started = Instant::now();
    let screens = [
        "[data-testid='setup-form']",
        "[data-testid='login-form']",
        "[data-testid='db-error']",
        "[data-testid='start-error']",
        "[data-testid='demo-error']",
        "[data-testid='nav-home']",
    ];
    let shown = loop {
        let mut shown = None;
        for css in screens {
            if c.find(Locator::Css(css)).await.is_ok() {
                shown = Some(css);
                break;
            }
        }
        if let Some(css) = shown {
            break css;
        }
        // A demo database is being filled: that takes longer than a screen.
        assert!(
            started.elapsed() < UI_TIMEOUT * 6,
            "no first screen after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    };
    if shown.contains("setup-form") {
        for (name, text) in [
            ("centre_full_name", "АНО «Центр поддержки экспорта Хабаровского края»"),
            ("centre_short_name", "ЦПЭ Хабаровского края"),
            ("region_code", "27"),
            ("city", "г. Хабаровск"),
            ("head_full_name", HEAD_NAME),
        ] {
            // Give the prefill from the requisites a moment, then keep what the suite set.
            tokio::time::sleep(Duration::from_millis(50)).await;
            if value(c, &format!("[name='{name}']")).await.trim().is_empty() {
                fill(c, name, text).await;
            }
        }
        fill(c, "login", HEAD_LOGIN).await;
        fill(c, "password", HEAD_PASSWORD).await;
        fill(c, "repeat", HEAD_PASSWORD).await;
        click(c, "[data-testid='setup-submit']").await;
        find(c, "[data-testid='nav-home']").await;
    } else if shown.contains("login-form") {
        let demo = c.find(Locator::Css("[data-testid='login-demo-hint']")).await.is_ok();
        let (login, password) = if demo {
            ("primerov", cpe_core::demo::DEMO_PASSWORD)
        } else {
            (HEAD_LOGIN, HEAD_PASSWORD)
        };
        find(c, "[data-testid='login-who']")
            .await
            .select_by_value(login)
            .await
            .unwrap_or_else(|e| panic!("no account {login} on the login screen: {e}"));
        fill(c, "password", password).await;
        click(c, "[data-testid='login-submit']").await;
        find(c, "[data-testid='nav-home']").await;
    }
}

/// The file the debug app takes its file dialogs' answers from (`commands::dialog` in the shell).
fn dialog_answers(data_dir: &Path) -> PathBuf {
    data_dir.join(".e2e-dialog-answers")
}

/// What the user chooses in the app's next file dialog (GTK dialogs cannot be driven through
/// WebDriver): the debug app reads the answers in order, through the same grants a real choice gives.
/// Several files for a multiple choice; none for «Отмена».
pub fn answer_dialog(data_dir: &Path, paths: &[&Path]) {
    use std::io::Write;
    let line: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dialog_answers(data_dir))
        .unwrap();
    writeln!(f, "{}", line.join("|")).unwrap();
}

/// Seeds a journey's database as a user would have left it: a legal entity in the registry whose
/// eligibility `ctx.actor` confirmed by hand (every criterion passed). Returns its id.
pub fn add_eligible_sme(conn: &mut cpe_core::db::Db, ctx: &cpe_core::audit::Ctx, name: &str, inn: &str) -> i64 {
    use cpe_core::eligibility::{self, CheckInput, CheckSource, Criterion, CriterionResult, Outcome};
    use cpe_core::sme::{self, SmeInput, SmeKind};
    let sme = sme::add(conn, ctx, &SmeInput::new(SmeKind::LegalEntity, name, inn)).expect("SME added");
    let criteria = Criterion::required_for(SmeKind::LegalEntity)
        .into_iter()
        .map(|c| CriterionResult::new(c, Outcome::Pass, ""))
        .collect();
    let source = CheckSource::Manual {
        comment: "Проверено по сайту ФНС".into(),
    };
    eligibility::record(
        conn,
        ctx,
        &CheckInput {
            sme_id: sme.id,
            source,
            criteria,
        },
    )
    .expect("eligibility recorded");
    sme.id
}

/// Waits until the text of `css`, with non-breaking spaces read as spaces (money is printed with
/// them), contains `needle`; returns that text.
pub async fn wait_plain(c: &Client, css: &str, needle: &str) -> String {
    let started = Instant::now();
    loop {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            let text = e.prop("textContent").await.ok().flatten().unwrap_or_default();
            let plain = text.replace('\u{a0}', " ");
            if plain.contains(needle) {
                return plain;
            }
            assert!(
                started.elapsed() < UI_TIMEOUT,
                "{css}: «{plain}» does not contain «{needle}»"
            );
        } else {
            assert!(
                started.elapsed() < UI_TIMEOUT,
                "{css}: no such element while waiting for «{needle}»"
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the value of the element matching `css` contains `needle`; returns it.
pub async fn wait_value(c: &Client, css: &str, needle: &str) -> String {
    let started = std::time::Instant::now();
    loop {
        let v = find(c, css)
            .await
            .prop("value")
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        if v.contains(needle) {
            return v;
        }
        assert!(
            started.elapsed() < UI_TIMEOUT,
            "{css}: value «{v}» does not contain «{needle}»"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Waits until an element matching `css` is present and returns it. Any failure to find it is
/// retried until the timeout, not only its absence: a list re-rendered during the lookup (the
/// virtual list's rows) makes WebKit answer «stale element», which fantoccini's own wait gives up on.
pub async fn find(c: &Client, css: &str) -> Element {
    let started = Instant::now();
    loop {
        match c.find(Locator::Css(css)).await {
            Ok(e) => return e,
            Err(e) if started.elapsed() >= UI_TIMEOUT => panic!("{css}: {e:?}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// Waits until the text of the element matching `css` contains `needle`; returns the text.
pub async fn wait_text(c: &Client, css: &str, needle: &str) -> String {
    wait_text_for(c, css, needle, UI_TIMEOUT).await
}

/// [`wait_text`] for up to `timeout` (a lock after idle minutes, not a screen to render).
pub async fn wait_text_for(c: &Client, css: &str, needle: &str, timeout: Duration) -> String {
    let started = Instant::now();
    loop {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            // Rendered text, or the DOM text when WebKit reports the element as not yet displayed
            // (rows of the virtual list right after a restart).
            let rendered = e.text().await.ok().filter(|t| !t.is_empty());
            let dom = match rendered {
                Some(t) => Some(t),
                None => e.prop("textContent").await.ok().flatten(),
            };
            if let Some(t) = dom {
                if t.contains(needle) {
                    return t;
                }
                if started.elapsed() > timeout {
                    panic!("{css}: text «{t}» does not contain «{needle}»");
                }
            }
        } else if started.elapsed() > timeout {
            panic!("{css}: no such element while waiting for «{needle}»");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the element matching `css` is enabled (or disabled), as the app decides after checking.
pub async fn wait_enabled(c: &Client, css: &str, enabled: bool) {
    let started = Instant::now();
    loop {
        let now = find(c, css).await.is_enabled().await.expect("enabled state");
        if now == enabled {
            return;
        }
        assert!(
            started.elapsed() < UI_TIMEOUT,
            "{css}: enabled = {now}, expected {enabled}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The value of the input matching `css`, non-breaking spaces (money) read as spaces.
pub async fn value(c: &Client, css: &str) -> String {
    let v = find(c, css)
        .await
        .prop("value")
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    v.unwrap_or_default().replace('\u{a0}', " ")
}

/// Waits until `count(css) == n`.
pub async fn wait_count(c: &Client, css: &str, n: usize) {
    let started = Instant::now();
    loop {
        let found = c.find_all(Locator::Css(css)).await.map(|v| v.len()).unwrap_or(0);
        if found == n {
            return;
        }
        assert!(started.elapsed() < UI_TIMEOUT, "{css}: {found} elements, expected {n}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Replaces the value of the input named `name` by typing `text` (as a person would).
/// Retried while the element is replaced under it (see [`click`]).
pub async fn fill(c: &Client, name: &str, text: &str) {
    let css = format!("[name='{name}']");
    let started = Instant::now();
    loop {
        let e = find(c, &css).await;
        let typed = match e.clear().await {
            Ok(()) => e.send_keys(text).await,
            Err(err) => Err(err),
        };
        match typed {
            Ok(()) => return,
            Err(err) if replaced(&err) && started.elapsed() < UI_TIMEOUT => {}
            Err(err) => panic!("type into {name}: {err}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks the element matching `css`, finding it again when the page replaced it between the
/// find and the click (a list re-rendered by the last debounced keystroke of a search).
pub async fn click(c: &Client, css: &str) {
    let started = Instant::now();
    loop {
        match find(c, css).await.click().await {
            Ok(()) => return,
            Err(err) if replaced(&err) && started.elapsed() < UI_TIMEOUT => {}
            Err(err) => panic!("click {css}: {err}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// True when WebDriver says the element found a moment ago is no longer in the page
/// (stale reference; WebKitWebDriver words it «Node with identifier … was not found»).
fn replaced(err: &fantoccini::error::CmdError) -> bool {
    use fantoccini::error::{CmdError, ErrorStatus};
    match err {
        CmdError::Standard(e) => {
            matches!(e.error, ErrorStatus::StaleElementReference | ErrorStatus::NoSuchElement)
                || e.message.contains("was not found")
        }
        _ => false,
    }
}

/// Saves a screenshot into target/e2e-screenshots/NAME.png after the page has painted
/// (two animation frames: a screenshot right after a change can show the old page).
pub async fn screenshot(c: &Client, name: &str) {
    let _ = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));",
            vec![],
        )
        .await;
    let png = c.screenshot().await.expect("screenshot");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
}

/// The head adds a colleague in Настройки → «Сотрудники» with a first password (the form's role:
/// specialist) and waits for the list to show the login.
pub async fn add_colleague(c: &Client, full_name: &str, position: &str, login: &str, password: &str) {
    click(c, "[data-testid='nav-settings']").await;
    fill(c, "staff_full_name", full_name).await;
    fill(c, "staff_position", position).await;
    fill(c, "staff_login", login).await;
    fill(c, "staff_password", password).await;
    click(c, "[data-testid='staff-add']").await;
    wait_text(c, "[data-testid='toast']", "сменит пароль").await;
    wait_text(c, "[data-testid='staff-list']", login).await;
}

/// Opens «Добавить СМСП» in the registry and types a legal entity's name and INN (not saved: the
/// journey goes on with the form).
pub async fn new_company(c: &Client, full_name: &str, inn: &str) {
    click(c, "[data-testid='nav-sme']").await;
    click(c, "[data-testid='sme-add']").await;
    find(c, "[name='kind']")
        .await
        .select_by_value("legal_entity")
        .await
        .unwrap();
    fill(c, "full_name", full_name).await;
    fill(c, "inn", inn).await;
}
