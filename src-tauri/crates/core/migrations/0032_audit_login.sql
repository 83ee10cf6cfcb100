-- 0032: the journal keeps the login a change was made under. On the centre's server it is the
-- database's session user, set by the server itself (a trigger, `db/roles.rs`), not a name the
-- program sends; in the local file, the logged-in account's login.
ALTER TABLE audit_log ADD COLUMN login TEXT;
