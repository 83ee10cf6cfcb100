//! The throw-away PostgreSQL cluster of the tests (`make test` starts it with `.ci/pg.sh` and names it in `CPE_TEST_DATABASE_URL`): a new database per test, for the tests of every crate (the core's, the CLI's, the shell's, the e2e journeys), made one way.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Once;

use super::choice::ServerAddress;

/// The URL of a new, empty database on the test cluster (its name carries `tag`, the process and
/// a counter, so tests and test binaries side by side never meet); `None` when no cluster was
/// started (a plain `cargo test`) — under CI that is an error, so the server's tests never pass
/// unrun.
pub fn fresh_url(tag: &str) -> Option<String> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    static GROUPS: Once = Once::new();
    let Ok(admin) = std::env::var("CPE_TEST_DATABASE_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CPE_TEST_DATABASE_URL is not set: run the tests with `make test`, which starts a PostgreSQL cluster"
        );
        return None;
    };
    let name = format!(
        "cpe_{tag}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut c = postgres::Client::connect(&admin, postgres::NoTls).expect("the test cluster");
    // The server's group roles, made once before the tests prepare databases side by side (two
    // preparations creating the same role at once would collide in the server's shared catalog).
    GROUPS.call_once(|| c.batch_execute(&super::roles::groups_sql()).unwrap());
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    Some(format!("{admin} dbname={name}"))
}

/// The address an app is given for the database of `url` (a URL of [`fresh_url`]): the cluster's
/// socket folder, its port and the database, without a login.
pub fn address(url: &str) -> ServerAddress {
    // The last of a key wins, as in libpq's own reading of the URL.
    let value = |key: &str| {
        url.split_whitespace()
            .rev()
            .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
            .map(str::to_owned)
    };
    ServerAddress {
        host: value("host").expect("the cluster's socket folder"),
        port: value("port").map_or(5432, |p| p.parse().unwrap()),
        database: value("dbname").expect("the database"),
        login: String::new(),
        tls: Default::default(),
    }
}
