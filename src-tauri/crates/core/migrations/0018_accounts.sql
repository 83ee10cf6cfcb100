-- 0018: staff accounts — a login, a role and a password hash (argon2id, PHC string) per staff member;
-- consecutive wrong passwords and the time before the next try; the idle lock's minutes. Staff of
-- an existing database keep their rows and history: they get a login and a password from the head.
ALTER TABLE staff ADD COLUMN login TEXT CHECK (login IS NULL OR login <> '');
ALTER TABLE staff ADD COLUMN role TEXT NOT NULL DEFAULT 'specialist'
    CHECK (role IN ('head', 'specialist', 'accountant', 'viewer'));
ALTER TABLE staff ADD COLUMN password_hash TEXT;
-- Set when the head gives a password: the person chooses their own at the next login.
ALTER TABLE staff ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
ALTER TABLE staff ADD COLUMN password_changed_at TEXT;
ALTER TABLE staff ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0);
ALTER TABLE staff ADD COLUMN retry_after TEXT;
CREATE UNIQUE INDEX staff_login ON staff (lower(login)) WHERE login IS NOT NULL;

CREATE TABLE session_settings (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    idle_lock_minutes INTEGER NOT NULL DEFAULT 15 CHECK (idle_lock_minutes BETWEEN 1 AND 240)
);
INSERT INTO session_settings (id) VALUES (1);

-- The journal records logins and failed logins; the CHECK is rebuilt as in 0017.
CREATE TABLE audit_log_new (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    entity      TEXT    NOT NULL,
    entity_id   TEXT    NOT NULL,
    action      TEXT    NOT NULL
        CHECK (action IN ('create', 'update', 'delete', 'print', 'export', 'login', 'login_failed')),
    before_json TEXT,
    after_json  TEXT
);
INSERT INTO audit_log_new (id, at, actor, entity, entity_id, action, before_json, after_json)
    SELECT id, at, actor, entity, entity_id, action, before_json, after_json FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_actor ON audit_log (actor);
CREATE INDEX audit_log_at ON audit_log (at);
