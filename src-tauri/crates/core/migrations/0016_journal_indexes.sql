-- «Журнал изменений» filtered by staff member or period over a million entries.
CREATE INDEX audit_log_actor ON audit_log (actor);
CREATE INDEX audit_log_at ON audit_log (at);
