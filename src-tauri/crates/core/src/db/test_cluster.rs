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

/// A network cable between this computer and the test cluster that can be pulled the way a real
/// one is: silently, the packets lost without a reset, as when a cable comes out of a switch, the
/// Wi-Fi drops or the server's computer is switched off. The cluster is reached through a relay
/// in a network namespace of its own (a veth pair; `host:5432` there → the cluster's socket);
/// pulling takes the link down at the far end. Needs root and iproute2 (`ip`): `None` without
/// them — an error where `make test` found it could make one (`CPE_TEST_NETNS=1`), so the tests of
/// a dead network never pass unrun there.
#[cfg(target_os = "linux")]
pub struct Cable {
    name: String,
    /// The server's address at the far end of the cable (port 5432).
    pub host: String,
}

#[cfg(target_os = "linux")]
impl Cable {
    /// A cable to the cluster of `url` (a URL of [`fresh_url`]).
    pub fn to_cluster(url: &str) -> Option<Cable> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let pid = std::process::id();
        // Interface names have at most 15 characters; the /30 is the process's and the cable's.
        let name = format!("cpe{:x}c{n}", pid & 0xffff);
        let (net, sub) = (pid % 250 + 1, n % 64 * 4);
        let (near, far) = (format!("10.231.{net}.{}", sub + 1), format!("10.231.{net}.{}", sub + 2));
        if !ip(&["netns", "add", &name]) {
            assert!(
                std::env::var("CPE_TEST_NETNS").as_deref() != Ok("1"),
                "a network namespace could not be made here although `make test` made one"
            );
            eprintln!("skipped: a pulled cable needs a network namespace (root and iproute2)");
            return None;
        }
        // Made before anything else can fail: its drop removes the namespace with the veth pair.
        let cable = Cable {
            name: name.clone(),
            host: far.clone(),
        };
        // The near end of the veth pair here, the far end (`link`) in the namespace.
        let (h, f) = (format!("{name}h"), format!("{name}f"));
        for args in [
            vec!["link", "add", &h, "type", "veth", "peer", "name", &f],
            vec!["link", "set", &f, "netns", &name],
            vec!["addr", "add", &format!("{near}/30"), "dev", &h],
            vec!["link", "set", &h, "up"],
            vec!["-n", &name, "addr", "add", &format!("{far}/30"), "dev", &f],
            vec!["-n", &name, "link", "set", &f, "up"],
        ] {
            assert!(ip(&args), "ip {args:?}");
        }
        let a = address(url);
        relay(&name, &far, format!("{}/.s.PGSQL.{}", a.host, a.port));
        Some(cable)
    }

    /// Pulls the cable: from now on every packet is lost, none refused.
    pub fn pull(&self) {
        self.link("down");
    }

    /// Plugs it in again: new connections work; those given up meanwhile stay given up.
    pub fn plug(&self) {
        self.link("up");
    }

    /// The link at the far end of the cable, `up` or `down`.
    fn link(&self, state: &str) {
        let far = format!("{}f", self.name);
        assert!(
            ip(&["-n", &self.name, "link", "set", &far, state]),
            "ip link set {far} {state}"
        );
    }
}

#[cfg(target_os = "linux")]
impl Drop for Cable {
    fn drop(&mut self) {
        ip(&["netns", "del", &self.name]);
    }
}

#[cfg(target_os = "linux")]
fn ip(args: &[&str]) -> bool {
    std::process::Command::new("ip")
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Relays `host:5432` of the namespace `name` to the cluster's Unix socket, from a thread that
/// enters the namespace (the sockets it makes are the namespace's; the socket file is reached by
/// its path from any).
#[cfg(target_os = "linux")]
fn relay(name: &str, host: &str, socket: String) {
    use std::os::fd::AsRawFd;
    let namespace = std::fs::File::open(format!("/var/run/netns/{name}")).expect("the namespace");
    let host = host.to_owned();
    let (ready, listening) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // SAFETY: setns(2) with a descriptor this thread holds open for the call; it moves only
        // this thread, which from here on does nothing but accept and relay.
        let entered = unsafe { libc::setns(namespace.as_raw_fd(), libc::CLONE_NEWNET) } == 0;
        let listener = entered
            .then(|| std::net::TcpListener::bind((host.as_str(), 5432)).ok())
            .flatten();
        let _ = ready.send(listener.is_some());
        for computer in listener.iter().flat_map(|l| l.incoming()).flatten() {
            let Ok(server) = std::os::unix::net::UnixStream::connect(&socket) else {
                continue;
            };
            let (mut c_in, mut s_out) = (computer.try_clone().unwrap(), server.try_clone().unwrap());
            std::thread::spawn(move || std::io::copy(&mut c_in, &mut s_out));
            let (mut s_in, mut c_out) = (server, computer);
            std::thread::spawn(move || std::io::copy(&mut s_in, &mut c_out));
        }
    });
    assert!(listening.recv().unwrap_or(false), "the relay in the namespace");
}
