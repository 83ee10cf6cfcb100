-- 0009: the staff's contacts with SMEs whose 3-year reporting window (§5.5.2) is open and who have
-- reported no export contract for a long time: the reminder list is worked through by recording
-- each call or letter here.
CREATE TABLE export_reminder_contact (
    id           INTEGER PRIMARY KEY,
    sme_id       INTEGER NOT NULL REFERENCES sme (id),
    contacted_on TEXT    NOT NULL,
    comment      TEXT    NOT NULL DEFAULT '',
    created_by   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL
);
CREATE INDEX export_reminder_contact_sme ON export_reminder_contact (sme_id, contacted_on);
