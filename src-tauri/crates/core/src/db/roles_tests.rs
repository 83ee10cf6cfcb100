//! Rights enforced by the server: the centre's logins connect with their own passwords to the test cluster, work through the core within their role, and are stopped by the server itself outside it — also when they bypass the program as with `psql`.

use postgres::error::SqlState;

use crate::agreement::fixture::*;
use crate::agreement::{self};
use crate::audit::Ctx;
use crate::db::server::{self, tests::fresh_url};
use crate::payment::{self, PaymentInput};
use crate::staff::{self, Role, StaffInput};

const PASSWORD: &str = "Весна-2026!";

/// A prepared server database with a head, a specialist, an accountant and a viewer (each a login
/// of the server with [`PASSWORD`]), made by the administrator as `cpe server add-user` does.
/// Logins are the server's, shared by all its databases: each test has its own (`tag`), so tests
/// running side by side never change the same login at once.
fn centre(tag: &str) -> Option<String> {
    let url = fresh_url("t")?;
    let (mut admin, _) = server::init(&url).unwrap();
    let it = Ctx::new("Администратор сервера", day("2025-01-09").and_hms_opt(9, 0, 0).unwrap());
    for (name, login, role) in [
        ("Иванова Анна Сергеевна", "ivanova", Role::Head),
        ("Петров Пётр Ильич", "petrov", Role::Specialist),
        ("Сидорова Ольга", "Sidorova", Role::Accountant),
        ("Орлов Глеб", "orlov", Role::Viewer),
    ] {
        let login = format!("{login}{tag}");
        staff::add(
            &mut admin,
            &it,
            &StaffInput::new(name, "сотрудник", &login, role),
            Some(PASSWORD),
        )
        .unwrap();
    }
    Some(url)
}

fn as_login(url: &str, login: &str) -> String {
    format!("{url} user={login} password={PASSWORD}")
}

/// What `psql` would be: a plain client of that login.
fn psql(url: &str, login: &str) -> postgres::Client {
    postgres::Client::connect(&as_login(url, login), postgres::NoTls).unwrap()
}

fn refused(result: Result<u64, postgres::Error>) -> bool {
    result.is_err_and(|e| e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE))
}

#[test]
fn each_login_works_within_its_role_and_the_server_stops_the_rest() {
    let Some(url) = centre("") else { return };
    // The server checks the password and gives the role of the login's group.
    let wrong = server::connect(&format!("{url} user=petrov password=не-тот")).unwrap_err();
    assert!(wrong.message.contains("не принял пароль"), "{}", wrong.message);
    let mut specialist = server::connect(&as_login(&url, "petrov")).unwrap();
    let session = server::session(&mut specialist, day("2025-03-03").and_hms_opt(9, 0, 0).unwrap()).unwrap();
    assert_eq!(
        (session.role, session.full_name.as_str()),
        (Role::Specialist, "Петров Пётр Ильич")
    );
    let mut head = server::connect(&as_login(&url, "ivanova")).unwrap();
    let mut accountant = server::connect(&as_login(&url, "sidorova")).unwrap();
    assert_eq!(
        server::session(&mut accountant, day("2025-03-03").and_hms_opt(9, 0, 0).unwrap())
            .unwrap()
            .role,
        Role::Accountant
    );

    // The day's work, each by whom it belongs to: the head the budget and the signature, the
    // specialist the registry, the application and the draft, the accountant the payment.
    budget(&mut head, "4.2", "5000000");
    let sme = eligible_sme(&mut specialist, "7707083893");
    let app = approved_application(&mut specialist, sme, "4.2", &[]);
    let draft = agreement::create(&mut specialist, &ctx("2025-03-06"), &standalone(sme, Some(app))).unwrap();
    let signed = agreement::sign(&mut head, &ctx("2025-03-07"), draft.id, day("2025-03-07")).unwrap();
    let pay = PaymentInput {
        agreement_id: signed.id,
        paid_on: day("2025-03-10"),
        amount: d("100000"),
        document: "п/п 7".into(),
    };
    // The core would let a head's context pay from the specialist's connection; the server does not.
    let e = payment::add(&mut specialist, &ctx("2025-03-10"), &pay).unwrap_err();
    assert!(
        e.message.contains("permission denied") || e.message.contains("доступ"),
        "{}",
        e.message
    );
    payment::add(&mut accountant, &ctx("2025-03-10"), &pay).unwrap();
    let e = crate::budget::set_line(&mut specialist, &ctx("2025-03-10"), 2025, "4.2", d("1")).unwrap_err();
    assert!(!e.message.is_empty());
    assert_eq!(crate::budget::show(&head, 2025).unwrap().lines.len(), 1);

    // A copy of the server's data made by a staff login (not the tables' owner) keeps the order
    // of tables that refer to each other.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("копия.sqlite3");
    crate::db::transfer::to_new_file(&mut head, &copy, &mut |_| {}).unwrap();
    let file = crate::db::open(&copy).unwrap();
    assert_eq!(payment::list(&file, signed.id).unwrap().len(), 1);

    // Past the program, as with psql: the catalog, the budget, the accounts and the journal stay shut.
    let mut p = psql(&url, "petrov");
    assert!(refused(p.execute("UPDATE catalog_version SET title = 'x'", &[])));
    assert!(refused(p.execute("UPDATE budget_line SET amount = '1'", &[])));
    assert!(refused(
        p.execute("UPDATE staff SET role = 'head' WHERE login = 'petrov'", &[])
    ));
    assert!(refused(p.execute("DELETE FROM audit_log", &[])));
    assert!(refused(
        p.execute("UPDATE audit_log SET actor = 'Иванова Анна Сергеевна'", &[])
    ));
    assert!(refused(p.execute("GRANT cpe_head TO petrov", &[])));
    let mut viewer = psql(&url, "orlov");
    assert!(refused(viewer.execute("UPDATE sme SET full_name = 'x'", &[])));
    assert!(refused(viewer.execute("DELETE FROM payment", &[])));

    // A journal entry claiming to be the head is recorded as the login that wrote it.
    p.execute(
        "INSERT INTO audit_log (at, actor, entity, entity_id, action, login)
         VALUES ('2025-03-10T10:00:00', 'Иванова Анна Сергеевна', 'sme', '1', 'update', 'ivanova')",
        &[],
    )
    .unwrap();
    let row = p
        .query_one("SELECT actor, login FROM audit_log ORDER BY id DESC LIMIT 1", &[])
        .unwrap();
    assert_eq!(
        (row.get::<_, String>(0), row.get::<_, String>(1)),
        ("Петров Пётр Ильич".into(), "petrov".into())
    );
    // And so is every entry the program wrote through each login (the server's own entries of the
    // administrator's accounts name the administrator's login).
    let who: Vec<(String, String)> = head
        .query_map(
            "SELECT DISTINCT actor, login FROM audit_log WHERE login IS NOT NULL
             AND coalesce(after_json, '') NOT LIKE '{\"server_account\"%' ORDER BY login",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        who,
        [
            ("Иванова Анна Сергеевна".to_string(), "ivanova".to_string()),
            ("Петров Пётр Ильич".into(), "petrov".into()),
            ("Сидорова Ольга".into(), "sidorova".into()),
        ]
    );
}

#[test]
fn accounts_changed_by_the_head_change_the_servers_logins() {
    let Some(url) = centre("_b") else { return };
    let mut head = server::connect(&as_login(&url, "ivanova_b")).unwrap();
    let now = day("2025-03-03").and_hms_opt(9, 0, 0).unwrap();
    let me = server::session(&mut head, now).unwrap();
    let ctx = me.ctx(now);
    // A new colleague: a login of the server with the head's password for them, in the right group.
    let new = staff::add(
        &mut head,
        &ctx,
        &StaffInput::new("Лебедева Нина", "специалист", "lebedeva", Role::Specialist),
        Some("Первый-пароль-1"),
    )
    .unwrap();
    let mut db = server::connect(&format!("{url} user=lebedeva password=Первый-пароль-1")).unwrap();
    assert_eq!(server::session(&mut db, now).unwrap().role, Role::Specialist);
    // Their own new password: the current one is checked by the server.
    let theirs = server::session(&mut db, now).unwrap().ctx(now);
    let e = staff::change_own_password(&mut db, &theirs, "не-тот-пароль", "Свой-пароль-22").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("current"));
    staff::change_own_password(&mut db, &theirs, "Первый-пароль-1", "Свой-пароль-22").unwrap();
    assert!(server::connect(&format!("{url} user=lebedeva password=Первый-пароль-1")).is_err());
    drop(db);
    // Made a head: the server's group follows; deactivated: the login no longer opens.
    let mut input = StaffInput::new("Лебедева Нина", "заместитель", "lebedeva", Role::Head);
    staff::update(&mut head, &ctx, new.id, &input).unwrap();
    let mut db = server::connect(&format!("{url} user=lebedeva password=Свой-пароль-22")).unwrap();
    assert_eq!(server::session(&mut db, now).unwrap().role, Role::Head);
    drop(db);
    input.active = false;
    staff::update(&mut head, &ctx, new.id, &input).unwrap();
    let e = server::connect(&format!("{url} user=lebedeva password=Свой-пароль-22")).unwrap_err();
    assert!(e.message.contains("lebedeva"), "{}", e.message);
    // A login of the server outside the centre's groups is not a colleague…
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .batch_execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'stranger') THEN
             CREATE ROLE stranger LOGIN PASSWORD 'Чужой-пароль-1'; END IF; END $$",
        )
        .unwrap();
    let e = server::connect(&format!("{url} user=stranger password=Чужой-пароль-1")).unwrap_err();
    assert!(e.message.contains("не входит ни в одну группу"), "{}", e.message);
    // …and the head cannot make it one, nor take over the administrator's login.
    for taken in ["stranger", "cpe_admin", "cpe_specialist"] {
        let input = StaffInput::new("Захватов Иван", "специалист", taken, Role::Head);
        let e = staff::add(&mut head, &ctx, &input, Some("Захват-2026-пароль")).unwrap_err();
        assert!(e.message.contains("не учётная запись центра"), "{taken}: {}", e.message);
        assert_eq!(e.field.as_deref(), Some("login"), "shown at the login field");
    }
    assert!(server::connect(&format!("{url} user=stranger password=Чужой-пароль-1")).is_err());
    // Past the program the head has no right over the server's roles of their own (no CREATEROLE),
    // and a specialist cannot even call the function that changes accounts.
    let mut h = psql(&url, "ivanova_b");
    assert!(refused(h.execute("CREATE ROLE intruder LOGIN", &[])));
    assert!(refused(h.execute("ALTER ROLE petrov_b PASSWORD 'Чужой-пароль-2'", &[])));
    let mut p = psql(&url, "petrov_b");
    // Nor may anyone but the administrator put a function in the schema, where it could stand in
    // for a built-in one inside the program's functions that run with the administrator's rights.
    assert!(refused(p.execute(
        "CREATE FUNCTION public.substr(name, integer) RETURNS text LANGUAGE sql AS 'SELECT 1::text'",
        &[]
    )));
    assert!(refused(p.execute(
        "SELECT cpe_sync_login(NULL, 'petrov_b', 'cpe_head', true, NULL)",
        &[]
    )));
}

/// The README's server: the IT person's administrator may create roles and owns the database, but
/// is no superuser. Since PostgreSQL 16 such a login grants only groups it has ADMIN OPTION on (it
/// has them on what it created), and the head's login has none: the head still adds, moves, resets
/// and switches off colleagues, through the server's `cpe_sync_login`.
#[test]
fn the_head_manages_accounts_on_a_server_whose_administrator_is_no_superuser() {
    let Some(url) = fresh_url("t") else { return };
    let mut su = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let tag = std::process::id();
    let it = format!("it_admin_{tag}");
    let db_name = part(&url, "dbname");
    su.batch_execute(&format!(
        "CREATE ROLE {it} LOGIN CREATEROLE PASSWORD '{PASSWORD}'; ALTER DATABASE {db_name} OWNER TO {it}"
    ))
    .unwrap();
    let as_it = as_login(&url, &it);
    let version: i32 = su
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .unwrap()
        .get(0);
    if version >= 160000 {
        // The test cluster's groups were made by its superuser, not by this administrator: init says
        // what the superuser must grant, and changes nothing.
        let e = server::init(&as_it).unwrap_err();
        assert!(
            e.message.contains("ADMIN OPTION") && e.message.contains(&it),
            "{}",
            e.message
        );
        su.batch_execute(&format!(
            "GRANT cpe_staff, cpe_head, cpe_specialist, cpe_accountant, cpe_viewer TO {it}
             WITH ADMIN OPTION, INHERIT FALSE, SET FALSE"
        ))
        .unwrap();
    }
    // As on PostgreSQL 13 and 14: `public` is the superuser's and every login may create in it,
    // which this administrator cannot take back — init says what the superuser runs.
    su.batch_execute("ALTER SCHEMA public OWNER TO CURRENT_USER; GRANT CREATE ON SCHEMA public TO PUBLIC")
        .unwrap();
    let e = server::init(&as_it).unwrap_err();
    assert!(
        e.message.contains("REVOKE CREATE ON SCHEMA \"public\" FROM PUBLIC;"),
        "{}",
        e.message
    );
    let (given, revoked) = (
        format!("ALTER SCHEMA \"public\" OWNER TO \"{it}\";"),
        "REVOKE CREATE ON SCHEMA \"public\" FROM PUBLIC;",
    );
    assert!(e.message.contains(&given), "{}", e.message);
    su.batch_execute(&format!("{given} {revoked}")).unwrap();
    let (mut admin, _) = server::init(&as_it).unwrap();
    // A later init takes back a right to create that someone gave everyone meanwhile.
    su.batch_execute("GRANT CREATE ON SCHEMA public TO PUBLIC").unwrap();
    server::init(&as_it).unwrap();
    let open: bool = su
        .query_one("SELECT has_schema_privilege('cpe_specialist', 'public', 'CREATE')", &[])
        .unwrap()
        .get(0);
    assert!(!open, "no colleague creates in the schema");
    assert_eq!(
        crate::db::roles::session_role(&admin).unwrap(),
        None,
        "the administrator is no head"
    );
    let it_ctx = Ctx::new("Администратор сервера", day("2025-01-09").and_hms_opt(9, 0, 0).unwrap());
    let head_login = format!("head_{tag}");
    staff::add(
        &mut admin,
        &it_ctx,
        &StaffInput::new("Иванова Анна Сергеевна", "руководитель", &head_login, Role::Head),
        Some(PASSWORD),
    )
    .unwrap();
    let can_create_roles: bool = su
        .query_one("SELECT rolcreaterole FROM pg_roles WHERE rolname = $1", &[&head_login])
        .unwrap()
        .get(0);
    assert!(!can_create_roles);

    let mut head = server::connect(&as_login(&url, &head_login)).unwrap();
    let now = day("2025-03-03").and_hms_opt(9, 0, 0).unwrap();
    let ctx = server::session(&mut head, now).unwrap().ctx(now);
    let login = format!("colleague_{tag}");
    let opens_as = |password: &str| {
        server::connect(&format!("{url} user={login} password={password}"))
            .and_then(|mut db| server::session(&mut db, now))
            .map(|s| s.role)
    };
    let mut input = StaffInput::new("Лебедева Нина", "специалист", &login, Role::Specialist);
    let new = staff::add(&mut head, &ctx, &input, Some("Первый-пароль-1")).unwrap();
    assert_eq!(opens_as("Первый-пароль-1").unwrap(), Role::Specialist);
    input.role = Role::Accountant;
    staff::update(&mut head, &ctx, new.id, &input).unwrap();
    assert_eq!(opens_as("Первый-пароль-1").unwrap(), Role::Accountant);
    staff::reset_password(&mut head, &ctx, new.id, "Второй-пароль-2").unwrap();
    assert!(opens_as("Первый-пароль-1").is_err());
    assert_eq!(opens_as("Второй-пароль-2").unwrap(), Role::Accountant);
    input.active = false;
    staff::update(&mut head, &ctx, new.id, &input).unwrap();
    assert!(opens_as("Второй-пароль-2").is_err());
    // The journal names the head for these changes, as the server authenticated them (the
    // colleague's own entries are their logins), and the administrator as the program did.
    let by: Vec<(String, Option<String>)> = head
        .query_map(
            "SELECT DISTINCT action, login FROM audit_log WHERE entity = 'staff' AND action <> 'login'
             AND coalesce(after_json, '') NOT LIKE '{\"server_account\"%' ORDER BY 1, 2",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        by,
        [
            ("create".to_string(), Some(head_login.clone())),
            ("create".into(), None),
            ("update".into(), Some(head_login)),
        ]
    );
}

/// Every change of a server account leaves an entry of the server's own in the journal, naming who
/// made it — also a password a head sets past the program, with psql, to log in as a colleague.
#[test]
fn each_change_of_a_server_account_is_in_the_journal_also_past_the_program() {
    // Logins new to the cluster, so that the administrator's are creations on every run.
    let tag = format!("_j{}", std::process::id());
    let Some(url) = centre(&tag) else { return };
    let (head_login, login) = (format!("ivanova{tag}"), format!("petrov{tag}"));
    let mut su = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let accounts = |su: &mut postgres::Client| -> Vec<(String, String, String, Option<String>, String)> {
        su.query(
            "SELECT actor, coalesce(login, ''), action, before_json, after_json FROM audit_log
             WHERE after_json LIKE '{\"server_account\"%' ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
        .collect()
    };
    // The administrator made the four logins: four creations, each with its password.
    let made = accounts(&mut su);
    assert_eq!(made.len(), 4, "{made:?}");
    assert!(
        made.iter().all(|(_, who, action, before, after)| who == "cpe_admin"
            && action == "create"
            && before.is_none()
            && after.contains("\"password\": \"задан\"")),
        "{made:?}"
    );

    let mut head = server::connect(&as_login(&url, &head_login)).unwrap();
    let now = day("2025-03-03").and_hms_opt(9, 0, 0).unwrap();
    let ctx = server::session(&mut head, now).unwrap().ctx(now);
    let petrov = staff::list(&head)
        .unwrap()
        .into_iter()
        .find(|s| s.login.as_deref() == Some(login.as_str()))
        .unwrap();
    // A new position changes nothing on the server: no entry of the server's.
    let input = StaffInput::new(&petrov.full_name, "ведущий специалист", &login, Role::Specialist);
    staff::update(&mut head, &ctx, petrov.id, &input).unwrap();
    assert_eq!(accounts(&mut su).len(), 4);
    // Through the program and past it: each a change the server records under the head's name.
    staff::reset_password(&mut head, &ctx, petrov.id, "Новый-пароль-2026").unwrap();
    let mut h = psql(&url, &head_login);
    let sync = "SELECT cpe_sync_login($1, $1, 'cpe_specialist', $2, $3)";
    h.execute(sync, &[&login, &true, &Some("Тайный-пароль-1")]).unwrap();
    h.execute(sync, &[&login, &false, &None::<&str>]).unwrap();
    let after = accounts(&mut su);
    assert_eq!(after.len(), 7, "{after:?}");
    for (actor, who, action, before, _) in &after[4..] {
        assert_eq!(
            (actor.as_str(), who.as_str(), action.as_str()),
            ("Иванова Анна Сергеевна", head_login.as_str(), "update")
        );
        assert!(
            before.as_deref().is_some_and(|b| b.contains("\"can_log_in\": true")),
            "{before:?}"
        );
    }
    // The journal says it in words, on the colleague's record.
    let page = crate::journal::page(&head, &Default::default(), 0, 2).unwrap();
    let [off, password] = &page.rows[..] else {
        panic!("{:?}", page.rows)
    };
    for entry in [off, password] {
        assert_eq!(
            (entry.record_name.as_str(), entry.entity_id.clone()),
            ("Петров Пётр Ильич", petrov.id.to_string())
        );
    }
    let said = |e: &crate::journal::JournalEntry| {
        e.changes
            .iter()
            .map(|c| format!("{}: {} → {}", c.label, c.before, c.after))
            .collect::<Vec<_>>()
    };
    assert_eq!(said(off), ["Учётная запись на сервере → Вход разрешён: да → нет"]);
    assert_eq!(said(password), ["Учётная запись на сервере → Пароль:  → задан"]);
    // And the login no longer opens, whatever password the head chose.
    assert!(server::connect(&format!("{url} user={login} password=Тайный-пароль-1")).is_err());
}

/// A value of the test cluster's URL (`host=… port=… dbname=…`).
fn part(url: &str, key: &str) -> String {
    url.split_whitespace()
        .rev()
        .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
        .unwrap()
        .to_owned()
}

#[test]
fn the_connection_is_encrypted_as_chosen() {
    use crate::db::choice::{ServerAddress, TlsMode};
    let Some(url) = centre("_tls") else { return };
    // Over TCP to the cluster, which has a (self-signed) certificate.
    let address = |tls| ServerAddress {
        host: "127.0.0.1".into(),
        port: part(&url, "port").parse().unwrap(),
        database: part(&url, "dbname"),
        login: "petrov_tls".into(),
        tls,
    };
    let encrypted = |tls| -> bool {
        let db = server::connect(&address(tls).url(PASSWORD)).unwrap();
        server::encrypted(&db).unwrap()
    };
    assert!(encrypted(TlsMode::Require));
    assert!(encrypted(TlsMode::Prefer), "used when the server has it");
    assert!(!encrypted(TlsMode::Off));
    // Through the local socket (the server's own computer) there is no TLS, as with libpq.
    let socket = ServerAddress {
        host: part(&url, "host"),
        ..address(TlsMode::Require)
    };
    server::connect(&socket.url(PASSWORD)).unwrap();
}
