//! The office mode against a real PostgreSQL server: the throw-away cluster `make test` starts (`.ci/pg.sh`, URL in `CPE_TEST_DATABASE_URL`), a new database per test.

use super::*;
pub(crate) use crate::db::test_cluster::fresh_url;

/// A new database of the test cluster with the app's schema, open.
pub(crate) fn fresh() -> Option<Db> {
    // The connection remembers how it was made, so that a test can open a second one.
    fresh_url("t").map(|url| init(&url).unwrap().0.with_config(config(&url).unwrap()))
}

fn columns(db: &Db, table: &str) -> Vec<String> {
    let mut c = db.columns(table).unwrap();
    c.sort();
    c
}

#[test]
fn the_servers_schema_has_the_files_tables_and_columns() {
    let Some(server) = fresh() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = super::super::open_in(dir.path()).unwrap();
    let mut tables = file.tables().unwrap();
    tables.retain(|t| t != "cpe_schema");
    let mut on_server = server.tables().unwrap();
    on_server.retain(|t| t != "cpe_schema");
    assert_eq!(on_server, tables);
    for t in &tables {
        assert_eq!(columns(&server, t), columns(&file, t), "columns of {t}");
    }
    let count = |db: &Db| -> i64 {
        db.query_row("SELECT count(*) FROM catalog_version", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!((count(&server), count(&file)), (1, 1), "the catalog is seeded on both");
    for t in ["centre", "setting", "cofinancing_settings", "session_settings"] {
        assert_eq!(server.dump(t).unwrap(), file.dump(t).unwrap(), "the rows of {t}");
    }
}

#[test]
fn connecting_says_what_is_wrong() {
    let Some(url) = fresh_url("t") else { return };
    let not_ready = connect(&url).unwrap_err();
    assert!(not_ready.message.contains("cpe server init"), "{}", not_ready.message);
    let missing = connect(&format!("{url}_нет")).unwrap_err();
    assert!(missing.message.contains("нет базы данных"), "{}", missing.message);
    let nowhere = connect("host=/nonexistent-cpe-dir user=cpe dbname=cpe").unwrap_err();
    assert!(nowhere.message.contains("не отвечает"), "{}", nowhere.message);
    let garbled = connect("postgresql://[::1").unwrap_err();
    assert_eq!(garbled.field.as_deref(), Some("database_url"), "{}", garbled.message);

    let (_, before) = init(&url).unwrap();
    assert_eq!(before, None);
    let db = connect(&url).unwrap();
    assert_eq!(db.engine(), super::super::Engine::Postgres);
    drop(db);
    let (db, again) = init(&url).unwrap();
    assert_eq!(again, Some(schema_version()), "a second init changes nothing");
    db.execute("UPDATE cpe_schema SET version = ?1", [schema_version() + 1])
        .unwrap();
    assert_eq!(connect(&url).unwrap_err().code, ErrorCode::DatabaseTooNew);

    let Some(other) = fresh_url("t") else { return };
    let mut c = postgres::Client::connect(&other, postgres::NoTls).unwrap();
    c.batch_execute("CREATE TABLE chto_to (id int)").unwrap();
    let foreign = init(&other).unwrap_err();
    assert!(foreign.message.contains("уже есть таблицы"), "{}", foreign.message);
}

#[test]
fn a_change_is_kept_only_when_committed_and_a_failed_one_leaves_nothing() {
    let Some(mut db) = fresh() else { return };
    {
        let tx = db.write_unchecked().unwrap();
        tx.execute("INSERT INTO setting (key, value) VALUES (?1, ?2)", ["a", "1"])
            .unwrap();
    }
    let tx = db.write_unchecked().unwrap();
    tx.execute("INSERT INTO setting (key, value) VALUES (?1, ?2)", ["b", "2"])
        .unwrap();
    tx.commit().unwrap();
    let keys: Vec<String> = db
        .query_map(
            "SELECT key FROM setting WHERE key IN ('a', 'b') ORDER BY key",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(keys, ["b"]);
}

/// Issue 16: agreement numbers of the whole team come from one server — four connections creating
/// agreements at once get each number once, without gaps. `CPE_RACE_PER=2500` runs the issue's
/// 10 000 creations (minutes; the suite runs 100).
#[test]
fn four_connections_creating_agreements_at_once_get_every_number_once() {
    use crate::agreement::fixture::{budget, ctx, eligible_sme, standalone};
    let Some(url) = fresh_url("t") else { return };
    let (mut db, _) = init(&url).unwrap();
    budget(&mut db, "4.2", "1000000000");
    let sme = eligible_sme(&mut db, "7707083893");
    let per: u32 = std::env::var("CPE_RACE_PER")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(25);
    let numbers: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let url = url.clone();
                s.spawn(move || {
                    let mut db = connect(&url).unwrap();
                    (0..per)
                        .map(|_| {
                            crate::agreement::create(&mut db, &ctx("2025-03-06"), &standalone(sme, None))
                                .unwrap()
                                .number
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap()).collect()
    });
    let mut seq: Vec<u32> = numbers
        .iter()
        .map(|n| n.split('/').next().unwrap().parse().unwrap())
        .collect();
    seq.sort_unstable();
    assert_eq!(seq, (1..=4 * per).collect::<Vec<u32>>(), "{numbers:?}");
}

/// Issue 16: two staff signing the last room of one business's cap at the same moment — exactly
/// one signature passes, the other gets the engine's refusal.
#[test]
fn two_signatures_racing_for_the_last_of_a_cap_let_exactly_one_through() {
    use crate::agreement::fixture::{budget, ctx, day, eligible_sme, standalone};
    let Some(url) = fresh_url("t") else { return };
    let (mut db, _) = init(&url).unwrap();
    budget(&mut db, "4.2", "1000000000");
    let sme = eligible_sme(&mut db, "7707083893");
    let c = ctx("2025-03-06");
    let ids: Vec<i64> = (0..3)
        .map(|_| {
            crate::agreement::create(&mut db, &c, &standalone(sme, None))
                .unwrap()
                .id
        })
        .collect();
    // 400 000 ₽ of the centre's each, 1 000 000 ₽ cap of 4.2: the first and one more fit.
    crate::agreement::sign(&mut db, &c, ids[0], day("2025-03-06")).unwrap();
    let barrier = std::sync::Barrier::new(2);
    let results: Vec<crate::error::Result<crate::agreement::Agreement>> = std::thread::scope(|s| {
        let racers: Vec<_> = ids[1..]
            .iter()
            .map(|id| {
                let (url, barrier) = (url.clone(), &barrier);
                s.spawn(move || {
                    let mut db = connect(&url).unwrap();
                    barrier.wait();
                    crate::agreement::sign(&mut db, &ctx("2025-03-06"), *id, day("2025-03-06"))
                })
            })
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let passed = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(passed, 1, "{results:?}");
    let refused = results.iter().find_map(|r| r.as_ref().err()).unwrap();
    assert_eq!(refused.code, ErrorCode::Rule, "{}", refused.message);
}

/// The registry's list on the server: words found anywhere in names and identifiers in any case
/// (ё as е), filters, the sort by name without the legal form, windows and the count.
#[test]
fn the_registry_is_searched_sorted_and_counted_on_the_server() {
    use crate::sme::{self, SmeInput, SmeKind, SmeQuery, SmeSort};
    let Some(mut db) = fresh() else { return };
    let c = crate::agreement::fixture::ctx("2025-03-03");
    for (inn, name) in [
        ("7707083893", "ООО «Ромашка»"),
        ("7736207543", "Общество с ограниченной ответственностью «Василёк»"),
        ("7736050003", "АО «Берёзка-Экспорт»"),
    ] {
        sme::add(&mut db, &c, &SmeInput::new(SmeKind::LegalEntity, name, inn)).unwrap();
    }
    let query = |text: &str| SmeQuery {
        text: text.into(),
        sort: SmeSort::Name,
        limit: 2,
        ..Default::default()
    };
    let names = |page: &crate::sme::SmePage| page.rows.iter().map(|r| r.inn.clone()).collect::<Vec<_>>();
    let all = sme::list(&db, &query("")).unwrap();
    assert_eq!((all.total, all.total_exact), (3, true));
    assert_eq!(
        names(&all),
        ["7736050003", "7736207543"],
        "Берёзка, Василёк, then Ромашка"
    );
    let next = sme::list(&db, &SmeQuery { offset: 2, ..query("") }).unwrap();
    assert_eq!(names(&next), ["7707083893"]);
    assert_eq!(names(&sme::list(&db, &query("БЕРЕЗКА")).unwrap()), ["7736050003"]);
    assert_eq!(names(&sme::list(&db, &query("ромаш 770708")).unwrap()), ["7707083893"]);
    // Punctuation inside a word: the search key's trigrams span it, and the word itself decides.
    assert_eq!(names(&sme::list(&db, &query("березка-экс")).unwrap()), ["7736050003"]);
    assert_eq!(names(&sme::list(&db, &query("«березка")).unwrap()), ["7736050003"]);
    assert_eq!(
        sme::list(&db, &query("березка.экспорт")).unwrap().total,
        0,
        "«.» is not «-», though both are one letter in the key"
    );
    assert_eq!(
        sme::list(&db, &query("березкаџэкспорт")).unwrap().total,
        0,
        "the key's own letter is not a mark"
    );
    assert_eq!(
        sme::list(&db, &query("100%")).unwrap().total,
        0,
        "% is a character, not a wildcard"
    );

    // Past the exact count: a lower bound, and windows further down still come in order.
    let n = crate::sme::SERVER_COUNT as i64 + 5;
    db.execute(
        "INSERT INTO sme (kind, full_name, inn, search_text, created_at, updated_at)
         SELECT 'legal_entity', 'ООО «Луч ' || g || '»', (9900000000 + g)::text,
                'ооо «луч ' || lpad(g::text, 5, '0') || '»', '2025-03-03T10:00:00', '2025-03-03T10:00:00'
         FROM generate_series(1, ?1) AS g",
        [n],
    )
    .unwrap();
    let luch = |offset: u32| {
        sme::list(
            &db,
            &SmeQuery {
                offset,
                limit: 200,
                ..query("луч")
            },
        )
        .unwrap()
    };
    let first = luch(0);
    assert_eq!((first.total, first.total_exact), (1_000, false), "«более 1 000»");
    assert_eq!(first.rows.len(), 200);
    let last = luch(900);
    assert_eq!((last.total, last.total_exact), (1_005, true), "the end seen: exact");
    assert_eq!(last.rows.len(), 105);
    assert_eq!(last.rows[104].inn, format!("{}", 9_900_000_000_i64 + n));
}

/// The search's cache key on the server moves on when a colleague's change is committed, not only
/// when it begins.
#[test]
fn a_colleagues_commit_changes_the_stamp() {
    let Some(url) = fresh_url("t") else { return };
    let (db, _) = init(&url).unwrap();
    let mut colleague = connect(&url).unwrap();
    let idle = db.change_stamp().unwrap();
    assert_eq!(db.change_stamp().unwrap(), idle, "nothing happened");
    let tx = colleague.write_unchecked().unwrap();
    tx.execute("INSERT INTO setting (key, value) VALUES ('x', '1')", [])
        .unwrap();
    let during = db.change_stamp().unwrap();
    tx.commit().unwrap();
    let after = db.change_stamp().unwrap();
    assert_ne!(after, during, "the commit itself is seen");
    assert_ne!(after, idle);
}

/// A statement the server cannot type by itself, met first inside a change: the change goes on.
#[test]
fn an_untyped_statement_inside_a_change_does_not_spoil_it() {
    let Some(mut db) = fresh() else { return };
    let tx = db.write_unchecked().unwrap();
    let n: i64 = tx
        .query_row(
            "SELECT count(*) FROM setting WHERE (?1 IS NULL OR key = ?1)",
            [crate::db::Value::Null],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1);
    tx.execute("INSERT INTO setting (key, value) VALUES ('y', '1')", [])
        .unwrap();
    tx.commit().unwrap();
    assert_eq!(
        db.query_row("SELECT count(*) FROM setting", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        2
    );
}

/// A cable pulled out while connected (no reset reaches either side): the next call says «Нет
/// связи» within seconds instead of waiting for the system's own limit of about a quarter of an
/// hour, the connection is known to be closed (the shell makes a new one), and a new one made once
/// the cable is back works. Without the network timeout the call would hang past the test's limit.
#[cfg(target_os = "linux")]
#[test]
fn a_pulled_cable_is_noticed_within_seconds() {
    use std::time::{Duration, Instant};
    let Some(url) = fresh_url("cable") else { return };
    init(&url).unwrap();
    let Some(cable) = crate::db::test_cluster::Cable::to_cluster(&url) else {
        return;
    };
    let a = crate::db::test_cluster::address(&url);
    let over_cable = format!(
        "host={} port=5432 user=cpe_admin dbname={} sslmode=disable",
        cable.host, a.database
    );
    let db = connect(&over_cable).unwrap();
    let count = |db: &Db| db.query_row("SELECT count(*) FROM sme", [], |r| r.get::<_, i64>(0));
    assert_eq!(count(&db).unwrap(), 0);

    cable.pull();
    // Run aside, so that a hang fails the test instead of stopping it.
    let (done, answer) = std::sync::mpsc::channel();
    let started = Instant::now();
    std::thread::spawn(move || {
        let outcome = count(&db).map_err(|e| e.message);
        let _ = done.send((outcome, db.is_closed()));
    });
    let (outcome, closed) = answer
        .recv_timeout(NETWORK_TIMEOUT + Duration::from_secs(20))
        .expect("the call on a dead network came back");
    let waited = started.elapsed();
    let message = outcome.unwrap_err();
    assert!(message.contains("Нет связи с сервером"), "{message}");
    assert!(closed, "the connection is known to be closed");
    assert!(
        waited >= NETWORK_TIMEOUT - Duration::from_secs(1),
        "{waited:?}: not before the timeout"
    );

    // While the cable is out a new connection is refused after the connect timeout, in Russian.
    let e = connect(&over_cable).unwrap_err();
    assert!(e.message.contains("не отвечает"), "{}", e.message);
    cable.plug();
    assert_eq!(count(&connect(&over_cable).unwrap()).unwrap(), 0);
}

/// A colleague's change that does not end — their computer cut off in its middle, holding the
/// centre's write lock: a change here waits the lock timeout, then says so in Russian and saves
/// nothing; once the server has ended the colleague's session, changes go through again. The
/// server ends such a session by itself (the limits every session of the program gets: a minute
/// idle in a change; keepalive probes of a silent computer after 10 s, on TCP).
#[test]
fn a_change_stuck_on_a_silent_computer_holds_the_others_up_for_seconds_not_hours() {
    use std::time::{Duration, Instant};
    let Some(url) = fresh_url("t") else { return };
    let (mut db, _) = init(&url).unwrap();
    let c = crate::agreement::fixture::ctx("2025-03-03");
    let input = crate::sme::SmeInput::new(crate::sme::SmeKind::LegalEntity, "ООО «Ромашка»", "7707083893");

    let mut colleague = connect(&url).unwrap();
    let pid: i32 = colleague
        .query_row("SELECT pg_backend_pid()", [], |r| r.get(0))
        .unwrap();
    let stuck = colleague.write_unchecked().unwrap();
    let started = Instant::now();
    let e = crate::sme::add(&mut db, &c, &input).unwrap_err();
    let waited = started.elapsed();
    assert!(
        (Duration::from_secs(9)..Duration::from_secs(30)).contains(&waited),
        "{waited:?}"
    );
    assert!(
        e.message.contains("Изменение коллеги ещё не завершено"),
        "{}",
        e.message
    );
    let count = |db: &Db| {
        db.query_row("SELECT count(*) FROM sme", [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    assert_eq!(count(&db), 0, "nothing saved");

    // What the server does after a minute of the colleague's silence, done here at once.
    db.query_row("SELECT pg_terminate_backend(?1)", [pid], |r| r.get::<_, bool>(0))
        .unwrap();
    drop(stuck);
    crate::sme::add(&mut db, &c, &input).unwrap();
    assert_eq!(count(&db), 1);

    // The limits reach the server; the keepalive's only on TCP (a local socket reads them as 0).
    let a = crate::db::test_cluster::address(&url);
    let tcp = connect(&format!(
        "host=127.0.0.1 port={} user=cpe_admin dbname={}",
        a.port, a.database
    ))
    .unwrap();
    let show = |name: &str| -> String { tcp.query_row(&format!("SHOW {name}"), [], |r| r.get(0)).unwrap() };
    assert_eq!(show("idle_in_transaction_session_timeout"), "1min");
    assert_eq!(show("lock_timeout"), "10s");
    assert_eq!(
        [
            show("tcp_keepalives_idle"),
            show("tcp_keepalives_interval"),
            show("tcp_keepalives_count")
        ],
        ["10", "2", "3"]
    );
    // The URL's own options win.
    let own = connect(&format!("{url} options='-c lock_timeout=3s'")).unwrap();
    assert_eq!(
        own.query_row("SHOW lock_timeout", [], |r| r.get::<_, String>(0))
            .unwrap(),
        "3s"
    );
}

/// A program on the address that accepts the connection and then says nothing (another service on
/// the port typed, a stuck server): connecting gives up after the startup timeout and says the
/// server does not answer, instead of waiting as long as that program does. No cluster needed.
#[test]
fn a_silent_program_on_the_port_is_not_waited_for() {
    use std::time::{Duration, Instant};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accepts and keeps every connection open, answering nothing.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    for tls in ["prefer", "disable"] {
        let url = format!("postgresql://cpe@127.0.0.1:{port}/cpe?sslmode={tls}");
        let (done, answer) = std::sync::mpsc::channel();
        let started = Instant::now();
        std::thread::spawn(move || {
            let _ = done.send(connect(&url).map(|_| ()).unwrap_err());
        });
        let e = answer
            .recv_timeout(STARTUP_TIMEOUT + Duration::from_secs(20))
            .expect("connecting to a silent program came back");
        assert!(
            started.elapsed() >= STARTUP_TIMEOUT - Duration::from_secs(1),
            "{tls}: {:?}",
            started.elapsed()
        );
        assert!(
            e.message.contains("127.0.0.1:") && e.message.contains("не отвечает"),
            "{tls}: {}",
            e.message
        );
    }
}
