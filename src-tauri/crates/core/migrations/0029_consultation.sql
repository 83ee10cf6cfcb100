-- 0029: the journal of consultations and information (catalog rows 1, 2, 3.1, 3.2). A consultation
-- of a business of the registry is support received (KPI 1, standard 2.0 §6); one with a person
-- not yet registered is kept with the person's name and counts once it is linked to an SME.
CREATE TABLE consultation (
    id             INTEGER PRIMARY KEY,
    date           TEXT    NOT NULL,
    sme_id         INTEGER REFERENCES sme (id),
    person         TEXT    NOT NULL DEFAULT '',
    service_code   TEXT    NOT NULL CHECK (service_code IN ('1', '2', '3.1', '3.2')),
    channel        TEXT    NOT NULL,
    topic          TEXT    NOT NULL CHECK (topic <> ''),
    minutes        INTEGER CHECK (minutes IS NULL OR minutes BETWEEN 1 AND 1440),
    outcome        TEXT    NOT NULL DEFAULT '',
    application_id INTEGER REFERENCES application (id),
    staff          TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    CHECK (sme_id IS NOT NULL OR person <> '')
);
CREATE INDEX consultation_date ON consultation (date);
CREATE INDEX consultation_sme ON consultation (sme_id, date);
