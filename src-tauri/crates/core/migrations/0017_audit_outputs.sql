-- The journal also records what left the program: a document printed, a list or report exported
-- (personal data leaving the database is something an inspector asks about). SQLite cannot change
-- a CHECK constraint in place, so the table is rebuilt with the same rows and ids.
CREATE TABLE audit_log_new (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    entity      TEXT    NOT NULL,
    entity_id   TEXT    NOT NULL,
    action      TEXT    NOT NULL CHECK (action IN ('create', 'update', 'delete', 'print', 'export')),
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
