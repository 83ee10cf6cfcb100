//! The shell on the centre's server: logging in remembers the server (the password only in the OS's password store, when asked), a wrong password changes nothing, and a connection the server dropped is made again for the next call — on the test cluster `make test` starts (`CPE_TEST_DATABASE_URL`).

use super::*;
use cpe_core::staff::{Role, StaffInput};

const PASSWORD: &str = "Сервер-центра-1";

/// A prepared database of the test cluster (its name ends in `tag`) with one specialist, and its
/// address for the app.
fn server(tag: &str) -> Option<(String, ServerAddress)> {
    let url = cpe_core::db::test_cluster::fresh_url(&format!("app_{tag}"))?;
    let (mut db, _) = db::server::init(&url).unwrap();
    let it = Ctx::new("Администратор", chrono::Local::now().naive_local());
    // Logins are the cluster's, not the database's: one per test.
    let login = format!("app_{tag}");
    let input = StaffInput::new("Петров Пётр", "специалист", &login, Role::Specialist);
    cpe_core::staff::add(&mut db, &it, &input, Some(PASSWORD)).unwrap();
    let address = ServerAddress {
        login,
        ..cpe_core::db::test_cluster::address(&url)
    };
    Some((url, address))
}

#[test]
fn the_server_is_remembered_and_a_dropped_connection_comes_back() {
    let Some((url, address)) = server("dropped") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let choice_file = dir.path().join("config").join("database.json");
    let state = AppState::open(Some(dir.path().join("data")), Some(choice_file.clone()));
    assert_eq!(state.choice(), DatabaseChoice::Local);
    assert!(!state.link_lost(), "the file has no link to lose");

    // A wrong password: refused, nothing remembered, still the local file.
    let e = state.connect_server(&address, "не-тот").unwrap_err();
    assert!(e.message.contains("не принял пароль"), "{}", e.message);
    assert_eq!(state.choice(), DatabaseChoice::Local);
    assert!(!choice_file.exists());

    let session = state.connect_server(&address, PASSWORD).unwrap();
    assert_eq!(
        (session.role, session.full_name.as_str()),
        (Role::Specialist, "Петров Пётр")
    );
    assert_eq!(
        choice::load(&choice_file).unwrap(),
        DatabaseChoice::Server(address.clone())
    );
    assert!(!std::fs::read_to_string(&choice_file).unwrap().contains(PASSWORD));
    let count = |state: &AppState| state.with(|c| c.query_row("SELECT count(*) FROM sme", [], |r| r.get::<_, i64>(0)));
    assert_eq!(count(&state).unwrap(), 0);

    // The server drops the connection (a restart, the network): the call in flight says so, the
    // next one works on a new connection with the same login.
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1",
            &[&address.login],
        )
        .unwrap();
    // The backend ends asynchronously: wait (ten seconds at most) until the server no longer lists it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::time::Instant::now() < deadline
        && admin
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = $1",
                &[&address.login],
            )
            .unwrap()
            .get::<_, i64>(0)
            > 0
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let e = count(&state).unwrap_err();
    assert!(e.message.contains("Нет связи с сервером"), "{}", e.message);
    assert_eq!(count(&state).unwrap(), 0, "connected again");

    // A new start of the app asks the server's password (nothing opened before the login); logging
    // out closes the connection.
    let again = AppState::open(Some(dir.path().join("data")), Some(choice_file.clone()));
    assert_eq!(again.server(), Some(address.clone()));
    assert!(again.open_error().is_none());
    assert!(again
        .with_open(|_| Ok(()))
        .unwrap_err()
        .message
        .contains("сервера центра"));
    again.connect_server(&address, PASSWORD).unwrap();
    again.end_session();
    assert!(again.with_open(|_| Ok(())).is_err(), "logged out: no connection kept");
}

#[test]
fn a_remembered_password_logs_in_at_start_until_the_server_no_longer_takes_it() {
    let Some((url, address)) = server("remembered") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let choice_file = dir.path().join("config").join("database.json");
    let store: Arc<crate::saved_password::MemoryStore> = Arc::default();
    let start =
        || AppState::open(Some(dir.path().join("data")), Some(choice_file.clone())).with_password_store(store.clone());
    let kept = || store.get(&address);
    use crate::saved_password::PasswordStore;

    // Not asked to remember: nothing kept, and the next start has nothing to log in with.
    let state = start();
    assert!(state.password_store_available());
    state.connect_server_remembering(&address, PASSWORD, false).unwrap();
    assert_eq!(kept(), None);
    let state = start();
    assert!(!state.password_remembered());
    let e = state.connect_remembered().unwrap_err();
    assert_eq!(e.field.as_deref(), Some("password"), "{}", e.message);
    assert!(state.session().is_none());

    // Remembered: the next start logs in with it, as the same person; the file of the choice
    // still holds no password.
    state.connect_server_remembering(&address, PASSWORD, true).unwrap();
    assert_eq!(kept().as_deref(), Some(PASSWORD));
    assert!(!std::fs::read_to_string(&choice_file).unwrap().contains(PASSWORD));
    let state = start();
    assert!(state.password_remembered());
    assert_eq!(state.connect_remembered().unwrap().login, address.login);
    assert!(state.with(|_| Ok(())).is_ok());

    // «Сменить пароль»: the new one replaces the remembered one and is the one to reconnect with.
    state.server_password_changed("Новый-пароль-2026");
    assert_eq!(kept().as_deref(), Some("Новый-пароль-2026"));

    // Changed elsewhere (another PC, the head): the server refuses the kept one, which is
    // forgotten, and the person is asked for the password.
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!(
            "ALTER ROLE {} PASSWORD 'Сменён-на-другом-ПК-1'",
            address.login
        ))
        .unwrap();
    let state = start();
    let e = state.connect_remembered().unwrap_err();
    assert_eq!(e.field.as_deref(), Some("password"));
    assert!(
        e.message.contains("не принял пароль, сохранённый") && e.message.contains("забыт"),
        "{}",
        e.message
    );
    assert_eq!(kept(), None);
    assert!(state.session().is_none());

    // Unchecked at a login, a password kept before is forgotten; choosing the local file forgets it too.
    let again = |remember| state.connect_server_remembering(&address, "Сменён-на-другом-ПК-1", remember);
    again(true).unwrap();
    assert!(kept().is_some());
    again(false).unwrap();
    assert_eq!(kept(), None);
    again(true).unwrap();
    state.use_local().unwrap();
    assert_eq!(kept(), None);
    assert!(!state.password_remembered());
}

/// The cable pulled out (no reset, packets lost): the call in flight says «Нет связи» after the
/// network timeout, not a quarter of an hour later, and so does the call that waited behind it;
/// then one call at a time tries to connect again (up to the connect timeout) while the others —
/// the user's, beside the change watcher's attempt — say so within a second; plugged in again,
/// the next call works on a new connection.
#[cfg(target_os = "linux")]
#[test]
fn while_the_cable_is_out_one_call_tries_and_the_others_answer_at_once() {
    let Some((url, address)) = server("cable") else {
        return;
    };
    let Some(cable) = cpe_core::db::test_cluster::Cable::to_cluster(&url) else {
        return;
    };
    let address = ServerAddress {
        host: cable.host.clone(),
        port: 5432,
        ..address
    };
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::open(Some(dir.path().join("data")), Some(dir.path().join("database.json")));
    state.connect_server(&address, PASSWORD).unwrap();
    let count = || state.with(|c| c.query_row("SELECT count(*) FROM sme", [], |r| r.get::<_, i64>(0)));
    assert_eq!(count().unwrap(), 0);

    cable.pull();
    let started = Instant::now();
    std::thread::scope(|s| {
        // The watcher's reading in flight on the dead connection, and the user's call behind it:
        // the one says so after the network timeout, the other at the same moment (no attempt of
        // its own to connect first).
        let first = s.spawn(|| (count().unwrap_err(), started.elapsed()));
        std::thread::sleep(Duration::from_millis(300));
        let e = count().unwrap_err();
        let behind = started.elapsed();
        let (first, failed_at) = first.join().unwrap();
        assert!(first.message.contains("Нет связи с сервером"), "{}", first.message);
        assert!(failed_at < Duration::from_secs(20), "{failed_at:?}");
        assert!(e.message.contains("Нет связи с сервером"), "{}", e.message);
        assert!(
            behind < failed_at + Duration::from_millis(500),
            "{behind:?} after {failed_at:?}"
        );
    });
    assert!(state.link_lost(), "what the change watcher tells the screens");
    // A call of the window that waited in the commands' queue meanwhile (it came before the
    // failure): said at once too, instead of first trying to connect again.
    let queued = Instant::now();
    let e = crate::dispatch::arriving(started, count).unwrap_err();
    assert!(queued.elapsed() < Duration::from_millis(500), "{:?}", queued.elapsed());
    assert_eq!(e.message, cpe_core::db::server::no_link().message);

    std::thread::scope(|s| {
        // The watcher's next reading tries a new connection: nothing answers (the address is
        // not found on the network, or the connect timeout), which takes seconds.
        let trying = s.spawn(|| count().unwrap_err());
        std::thread::sleep(Duration::from_millis(300));
        let started = Instant::now();
        let e = count().unwrap_err();
        assert!(started.elapsed() < ATTEMPT_AWAITED * 2, "{:?}", started.elapsed());
        assert!(e.message.contains("подключается к серверу заново"), "{}", e.message);
        let e = trying.join().unwrap();
        assert!(e.message.contains("не отвечает"), "{}", e.message);
    });

    cable.plug();
    assert_eq!(count().unwrap(), 0, "connected again");
    assert!(!state.link_lost());
}
