//! Rights enforced by the centre's server itself (office mode): a group role per staff role with the table privileges the rights table gives it, a login role per account, and the journal append-only with the server naming who wrote each entry.
//!
//! The core checks every change against [`crate::staff::rights`] before writing; these privileges
//! are the second lock, for whoever connects with `psql` instead of the program: a specialist cannot
//! change the catalog, the budget, the settings or the accounts, nobody but the administrator
//! who ran `cpe server init` can change or delete an entry of the journal, and the entry's «who» is
//! the login the server authenticated.

use super::Db;
use crate::error::{CoreError, Result};
use crate::staff::Role;

/// The group all the centre's logins belong to (through their role's group).
const STAFF: &str = "cpe_staff";

/// The group role of a staff role on the server.
pub fn group(role: Role) -> &'static str {
    match role {
        Role::Head => "cpe_head",
        Role::Specialist => "cpe_specialist",
        Role::Accountant => "cpe_accountant",
        Role::Viewer => "cpe_viewer",
    }
}

/// Tables only the head changes: the centre's requisites and settings, the catalog, the budget,
/// the calendar, the KPI plan and the accounts (rights Settings, Catalog, Budget, Accounts).
const HEAD_TABLES: &[&str] = &[
    "centre",
    "setting",
    "session_settings",
    "staff",
    "catalog_version",
    "budget_year",
    "budget_line",
    "cofinancing_settings",
    "calendar_year",
    "calendar_day",
    "kpi_target",
];

/// Tables the accountant changes (right Payments) — the head too, the specialist not.
const ACCOUNTANT_TABLES: &[&str] = &["payment"];

/// The journal: read by every role, added to by every role, changed by none.
const JOURNAL: &str = "audit_log";

/// Who may change `table` on the server.
fn writers(table: &str) -> &'static [Role] {
    if table == JOURNAL {
        &[]
    } else if HEAD_TABLES.contains(&table) {
        &[Role::Head]
    } else if ACCOUNTANT_TABLES.contains(&table) {
        &[Role::Head, Role::Accountant]
    } else {
        &[Role::Head, Role::Specialist]
    }
}

/// Quotes a name for SQL (`"name"`), as PostgreSQL's `quote_ident` does.
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Creates the group roles (once per server) and gives them the privileges of the rights table on
/// every table of the schema; run by `cpe server init` after each schema change, so a new table is
/// covered. Also lays down the journal's trigger and the erasure function.
pub(crate) fn grant(tx: &Db) -> Result<()> {
    let schema: String = tx.query_row("SELECT current_schema()", [], |r| r.get(0))?;
    let schema = ident(&schema);
    tx.execute_batch(&groups_sql())
        .map_err(|e| CoreError::storage(format!("Группы ролей на сервере не созданы: {}", e.message)))?;
    may_grant_groups(tx)?;
    let groups = Role::ALL.map(group).join(", ");
    // Nobody but the administrator creates objects in the schema: a function a colleague put there
    // (PostgreSQL 13 and 14 let every login create in `public`) could stand in for a built-in one
    // inside the program's SECURITY DEFINER functions and run with the administrator's rights.
    let mut sql = format!(
        "REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC, {STAFF}, {groups};
         GRANT USAGE ON SCHEMA {schema} TO {STAFF};
         REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {STAFF}, {groups};
         GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {STAFF};
         GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {STAFF};
         GRANT INSERT ON {JOURNAL} TO {STAFF};\n"
    );
    for table in tx.tables()? {
        for role in writers(&table) {
            sql += &format!(
                "GRANT INSERT, UPDATE, DELETE ON {} TO {};\n",
                ident(&table),
                group(*role)
            );
        }
    }
    sql += &journal_sql(&schema);
    sql += &accounts_sql(&schema);
    tx.execute_batch(&sql)
        .map_err(|e| CoreError::storage(format!("Права ролей на сервере не выданы: {}", e.message)))?;
    creates_only_the_administrator(tx, &schema)
}

/// The centre's groups as SQL string literals, for an `ARRAY[…]` of the server's functions.
fn group_literals() -> String {
    Role::ALL.map(|r| format!("'{}'", group(r))).join(", ")
}

/// Refuses a schema where anyone but its administrators may still create objects: the REVOKE above
/// only warns when the administrator is not the schema's owner (`public` of PostgreSQL 13 and 14
/// belongs to the superuser), so the superuser's commands are said instead — the schema given to
/// the administrator, who then creates the program's tables without the right everyone had.
fn creates_only_the_administrator(tx: &Db, schema: &str) -> Result<()> {
    // Each group, which holds what PUBLIC and `cpe_staff` hold too.
    let groups = group_literals();
    let (open, admin): (bool, String) = tx.query_row(
        &format!(
            "SELECT bool_or(has_schema_privilege(g, '{schema}'::regnamespace, 'CREATE')), current_user::text
             FROM unnest(ARRAY[{groups}]) AS g"
        ),
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if open {
        return Err(CoreError::storage(format!(
            "В схеме {schema} базы создавать объекты может любой пользователь сервера — так сотрудник мог бы подменить \
             функцию внутри функций программы. Суперпользователь сервера выполняет в этой базе: ALTER SCHEMA {schema} \
             OWNER TO {}; REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC; затем снова cpe server init. База не изменена.",
            ident(&admin)
        )));
    }
    Ok(())
}

/// PostgreSQL 16 and newer let an administrator without superuser rights grant a group only with
/// ADMIN OPTION on it, which its creator has: groups another administrator made (a second database
/// of the same server) would make every account change fail later, so `cpe server init` says it now.
fn may_grant_groups(tx: &Db) -> Result<()> {
    let (admin, checked): (String, bool) = tx.query_row(
        "SELECT current_user::text, current_setting('server_version_num')::int >= 160000 AND NOT rolsuper
         FROM pg_roles WHERE rolname = current_user",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if !checked {
        return Ok(());
    }
    let mut missing = Vec::new();
    for name in std::iter::once(STAFF).chain(Role::ALL.into_iter().map(group)) {
        let admin_option: bool = tx.query_row(
            "SELECT pg_has_role(current_user, ?1, 'MEMBER WITH ADMIN OPTION')",
            [name],
            |r| r.get(0),
        )?;
        if !admin_option {
            missing.push(name);
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let missing = missing.join(", ");
    Err(CoreError::storage(format!(
        "У администратора «{admin}» нет права выдавать группы {missing}: их создал другой администратор сервера, \
         а PostgreSQL 16 и новее разрешает выдавать группу только с правом ADMIN OPTION на неё. Суперпользователь \
         сервера выполняет: GRANT {missing} TO {} WITH ADMIN OPTION, INHERIT FALSE, SET FALSE; затем снова \
         cpe server init. База не изменена.",
        ident(&admin)
    )))
}

/// Creates the group roles where the server has none yet. Conditional, so that once they exist
/// preparing another database of the same server writes nothing to the server's shared catalog.
/// Roles are the whole server's: two databases prepared at the same moment may both find a role
/// missing, and the second to create it waits for the first and then finds it made — not an error.
pub(crate) fn groups_sql() -> String {
    const MADE: &str = "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;";
    let mut sql = String::from("DO $$ BEGIN\n");
    for name in std::iter::once(STAFF).chain(Role::ALL.into_iter().map(group)) {
        sql += &format!(
            "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{name}') THEN
               BEGIN CREATE ROLE {name} NOLOGIN; {MADE} END;
             END IF;\n"
        );
    }
    for role in Role::ALL {
        let name = group(role);
        sql += &format!(
            "IF NOT pg_has_role('{name}', '{STAFF}', 'MEMBER') THEN
               BEGIN GRANT {STAFF} TO {name}; {MADE} END;
             END IF;\n"
        );
    }
    sql + "END $$;\n"
}

/// The journal's «who» set by the server: for a login of the centre (a member of `cpe_staff`,
/// not a superuser), the login and the staff member's name of that login, whatever the program
/// sent. The administrator's own writes (a transfer of a local database) keep theirs.
/// `cpe_scrub_audit` is how an erasure of personal data (152-ФЗ) replaces the erased fields in the
/// business's entries without any role holding UPDATE on the journal: it runs as its owner, only
/// for a business whose erasure is recorded, and only writes the erasure mark.
/// `cpe_own_password_changed` records in one's own staff row that one changed one's password (the
/// password itself is the login role's), without UPDATE on the accounts.
fn journal_sql(schema: &str) -> String {
    let erased = crate::sme::personal_data::ERASED.replace('\'', "''");
    format!(
        "CREATE OR REPLACE FUNCTION cpe_journal_who() RETURNS trigger LANGUAGE plpgsql AS $f$
         BEGIN
             IF pg_has_role(session_user, '{STAFF}', 'USAGE')
                AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
                 NEW.login := session_user;
                 NEW.actor := COALESCE(
                     (SELECT full_name FROM staff WHERE lower(login) = lower(session_user)), session_user);
             END IF;
             RETURN NEW;
         END $f$;
         DROP TRIGGER IF EXISTS audit_log_who ON {JOURNAL};
         CREATE TRIGGER audit_log_who BEFORE INSERT ON {JOURNAL}
             FOR EACH ROW EXECUTE FUNCTION cpe_journal_who();

         CREATE OR REPLACE FUNCTION cpe_scrub_audit(sme TEXT, fields TEXT) RETURNS void
         LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $f$
         DECLARE f TEXT;
         BEGIN
             IF NOT EXISTS (SELECT 1 FROM sme_personal_data
                            WHERE sme_id::text = sme AND erased_on IS NOT NULL) THEN
                 RAISE EXCEPTION 'персональные данные СМСП № % не удалены: журнал не меняется', sme;
             END IF;
             FOREACH f IN ARRAY string_to_array(fields, ',') LOOP
                 UPDATE {JOURNAL} SET
                     before_json = CASE WHEN coalesce(before_json::jsonb ->> f, '') <> ''
                         THEN jsonb_set(before_json::jsonb, ARRAY[f], to_jsonb('{erased}'::text))::text
                         ELSE before_json END,
                     after_json = CASE WHEN coalesce(after_json::jsonb ->> f, '') <> ''
                         THEN jsonb_set(after_json::jsonb, ARRAY[f], to_jsonb('{erased}'::text))::text
                         ELSE after_json END
                 WHERE entity = 'sme' AND entity_id = sme;
             END LOOP;
         END $f$;
         REVOKE ALL ON FUNCTION cpe_scrub_audit(TEXT, TEXT) FROM PUBLIC;

         CREATE OR REPLACE FUNCTION cpe_own_password_changed(at TEXT) RETURNS void
         LANGUAGE sql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $f$
             UPDATE staff SET must_change_password = 0, password_changed_at = at
             WHERE lower(login) = lower(session_user)
         $f$;
         REVOKE ALL ON FUNCTION cpe_own_password_changed(TEXT) FROM PUBLIC;
         GRANT EXECUTE ON FUNCTION cpe_own_password_changed(TEXT) TO {STAFF};
         GRANT EXECUTE ON FUNCTION cpe_scrub_audit(TEXT, TEXT) TO {}, {};\n",
        group(Role::Head),
        group(Role::Specialist)
    )
}

/// Makes the server's login of an account agree with its staff row, inside the change that
/// adds or edits it: the login role exists (created, or renamed from `old_login`), can log in
/// while the account is active, belongs to its role's group only; with `password`, that becomes
/// its password. Done by the server's `cpe_sync_login` (see [`accounts_sql`]), so the head needs
/// no right to create or change roles of their own.
pub(crate) fn sync_login(
    tx: &Db,
    old_login: Option<&str>,
    login: &str,
    role: Role,
    active: bool,
    password: Option<&str>,
) -> Result<()> {
    tx.execute(
        "SELECT cpe_sync_login(?1, ?2, ?3, ?4, ?5)",
        crate::params![
            old_login.map(str::to_lowercase),
            login.to_lowercase(),
            group(role),
            active,
            password
        ],
    )
    .map(|_| ())
    .map_err(|e| {
        if e.message.contains(NOT_CENTRE) {
            CoreError::field(
                "login",
                format!(
                    "Логин: «{login}» на сервере уже занят, и это не учётная запись центра (администратор, группа или \
                     чужая роль сервера) — выберите другой логин"
                ),
            )
        } else {
            denied(login, e)
        }
    })
}

/// How `cpe_sync_login` says that a name belongs to a role it may not touch.
const NOT_CENTRE: &str = "не учётная запись центра";

/// `cpe_sync_login`: the accounts of the centre changed on behalf of the head, with the rights of
/// the administrator who ran `cpe server init` (its owner). Since PostgreSQL 16 a login with
/// CREATEROLE may grant a group only with ADMIN OPTION on it and change only roles it has ADMIN
/// OPTION on — which the head's login, made by the administrator, does not have; through this
/// function the head needs neither, on every version. It touches only the centre's own logins:
/// a name taken by the administrator, a superuser, a login that may create roles or a role outside
/// the centre's groups is refused, so a head cannot take over another account of the server.
/// Whatever happens, the login ends up in exactly its role's group, or the change fails.
/// Each call that changes the account (made, renamed, its group, whether it may log in, a
/// password) writes its own entry in the journal, as the server saw it and naming who called it —
/// also when a head calls it from psql rather than through the program, so no password is reset
/// and no colleague's login given out without a trace an inspector can read.
fn accounts_sql(schema: &str) -> String {
    let groups = group_literals();
    let head = group(Role::Head);
    // The account's state as the journal keeps it: login, role (the group without «cpe_», as the
    // staff rows name roles) and whether it may log in; NULL when there is no such role.
    let state = |name: &str| {
        format!(
            "(SELECT jsonb_build_object('login', r.rolname::text, 'role',
                 (SELECT substr(gr.rolname::text, 5) FROM pg_auth_members m JOIN pg_roles gr ON gr.oid = m.roleid
                  WHERE m.member = r.oid AND gr.rolname = ANY (groups) ORDER BY 1 LIMIT 1),
                 'can_log_in', r.rolcanlogin)
              FROM pg_roles r WHERE r.rolname = {name})"
        )
    };
    let (state_before, state_after) = (
        state("(CASE WHEN renamed THEN old_login ELSE login END)"),
        state("login"),
    );
    format!(
        "CREATE OR REPLACE FUNCTION cpe_sync_login(old_login TEXT, login TEXT, grp TEXT, active BOOLEAN, password TEXT)
         RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, {schema}, pg_temp AS $f$
         DECLARE
             groups CONSTANT TEXT[] := ARRAY[{groups}];
             who TEXT;
             g TEXT;
             is_member BOOLEAN;
             renamed BOOLEAN;
             was JSONB;
             now_is JSONB;
         BEGIN
             IF grp IS NULL OR NOT grp = ANY (groups) THEN
                 RAISE EXCEPTION 'группы «%» нет среди ролей центра', grp;
             END IF;
             FOREACH who IN ARRAY ARRAY[old_login, login] LOOP
                 IF EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = who AND (
                        r.rolname = current_user OR r.rolname = '{STAFF}' OR r.rolname = ANY (groups)
                        OR r.rolsuper OR r.rolcreaterole OR r.rolreplication OR r.rolbypassrls
                        OR NOT EXISTS (SELECT 1 FROM unnest(groups) AS gr WHERE pg_has_role(r.oid, gr, 'USAGE')))) THEN
                     RAISE EXCEPTION 'логин «%» на сервере — {NOT_CENTRE} (администратор, группа или \
                         чужая роль сервера): её меняет только администратор сервера; выберите другой логин', who;
                 END IF;
             END LOOP;
             renamed := old_login IS NOT NULL AND old_login <> login
                AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = old_login)
                AND NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login);
             was := {state_before};
             IF renamed THEN
                 EXECUTE format('ALTER ROLE %I RENAME TO %I', old_login, login);
             ELSIF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
                 EXECUTE format('CREATE ROLE %I LOGIN', login);
             END IF;
             EXECUTE format('ALTER ROLE %I %s NOCREATEROLE', login, CASE WHEN active THEN 'LOGIN' ELSE 'NOLOGIN' END);
             FOREACH g IN ARRAY groups LOOP
                 is_member := EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles u ON u.oid = m.member
                                   JOIN pg_roles gr ON gr.oid = m.roleid WHERE u.rolname = login AND gr.rolname = g);
                 IF g = grp AND NOT is_member THEN
                     EXECUTE format('GRANT %I TO %I', g, login);
                 ELSIF g <> grp AND is_member THEN
                     EXECUTE format('REVOKE %I FROM %I', g, login);
                 END IF;
             END LOOP;
             IF (SELECT array_agg(DISTINCT gr.rolname::text) FROM pg_auth_members m JOIN pg_roles u ON u.oid = m.member
                 JOIN pg_roles gr ON gr.oid = m.roleid WHERE u.rolname = login AND gr.rolname = ANY (groups))
                IS DISTINCT FROM ARRAY[grp] THEN
                 RAISE EXCEPTION 'логин «%» на сервере остался в прежней группе: её выдал другой администратор \
                     сервера, он её и отзывает (REVOKE … FROM %)', login, login;
             END IF;
             IF password IS NOT NULL THEN
                 EXECUTE format('ALTER ROLE %I PASSWORD %L', login, password);
             END IF;
             now_is := {state_after};
             IF was IS DISTINCT FROM now_is OR password IS NOT NULL THEN
                 IF password IS NOT NULL THEN
                     now_is := now_is || jsonb_build_object('password', 'задан');
                 END IF;
                 INSERT INTO {schema}.{JOURNAL} (at, actor, entity, entity_id, action, before_json, after_json, login)
                 VALUES (to_char(localtimestamp, 'YYYY-MM-DD\"T\"HH24:MI:SS'),
                         COALESCE((SELECT s.full_name FROM {schema}.staff s WHERE lower(s.login) = lower(session_user)),
                                  session_user),
                         'staff',
                         COALESCE((SELECT id::text FROM {schema}.staff s WHERE lower(s.login) = cpe_sync_login.login),
                                  cpe_sync_login.login),
                         CASE WHEN was IS NULL THEN 'create' ELSE 'update' END,
                         CASE WHEN was IS NOT NULL THEN jsonb_build_object('server_account', was)::text END,
                         jsonb_build_object('server_account', now_is)::text,
                         session_user);
             END IF;
         END $f$;
         REVOKE ALL ON FUNCTION cpe_sync_login(TEXT, TEXT, TEXT, BOOLEAN, TEXT) FROM PUBLIC;
         GRANT EXECUTE ON FUNCTION cpe_sync_login(TEXT, TEXT, TEXT, BOOLEAN, TEXT) TO {head};\n"
    )
}

/// Sets a login's password on the server (quoted by the server's own `format`).
pub(crate) fn set_password(tx: &Db, login: &str, password: &str) -> Result<()> {
    let sql: String = tx.query_row(
        "SELECT format('ALTER ROLE %I PASSWORD %L', ?1, ?2)",
        crate::params![login.to_lowercase(), password],
        |r| r.get(0),
    )?;
    tx.execute_batch(&sql).map_err(|e| denied(login, e))
}

fn denied(login: &str, e: CoreError) -> CoreError {
    CoreError::storage(format!(
        "Учётная запись «{login}» на сервере не изменена: {}. Учётными записями на сервере управляет руководитель \
         (Настройки → Сотрудники) или администратор сервера.",
        e.message.trim_end_matches('.')
    ))
}

/// The staff role of the connected login, as the server knows it (its group), or `None` for a
/// login outside the centre's groups. A superuser is every role's member: the administrator.
pub(crate) fn session_role(db: &Db) -> Result<Option<Role>> {
    for role in Role::ALL {
        let member: bool = db.query_row("SELECT pg_has_role(session_user, ?1, 'USAGE')", [group(role)], |r| {
            r.get(0)
        })?;
        if member {
            return Ok(Some(role));
        }
    }
    Ok(None)
}

#[cfg(test)]
#[path = "roles_tests.rs"]
mod tests;
