-- 0035 on the server: the heads' logins made by earlier versions could create roles (CREATEROLE),
-- which was how they managed their colleagues' accounts; `cpe_sync_login` (made by `cpe server
-- init` right after the migrations, db/roles.rs) does that now, so the right is taken back from
-- every login of the centre (a member of one of its groups; the administrator running this keeps
-- theirs). A login this administrator may not change (PostgreSQL 16+: made by another
-- administrator) is left as it was, with a warning in the server's log.
DO $$
DECLARE
    who TEXT;
BEGIN
    FOR who IN
        SELECT u.rolname FROM pg_roles u
        WHERE u.rolcreaterole AND NOT u.rolsuper AND u.rolname <> current_user
          AND EXISTS (SELECT 1 FROM pg_roles g
                      WHERE g.rolname IN ('cpe_head', 'cpe_specialist', 'cpe_accountant', 'cpe_viewer')
                        AND pg_has_role(u.oid, g.oid, 'USAGE'))
    LOOP
        BEGIN
            EXECUTE format('ALTER ROLE %I NOCREATEROLE', who);
        EXCEPTION
            WHEN insufficient_privilege THEN
                RAISE WARNING 'cpe: the login % keeps CREATEROLE (no ADMIN OPTION on it)', who;
            -- «tuple concurrently updated»: another database of the server, prepared at the same
            -- moment, took it back first (logins are the whole server's) — done, unless it was not.
            WHEN internal_error THEN
                IF (SELECT rolcreaterole FROM pg_roles WHERE rolname = who) THEN
                    RAISE;
                END IF;
        END;
    END LOOP;
END $$;
