-- 0030: events of catalog rows 4.1.1 and 4.1.2 — seminars, master classes and webinars held
-- «согласно плану проведения мероприятий» (002 §5.4.1) — and their participants. Attendance, not
-- registration, is the service given: an SME that attended counts in KPI 1 and in the registry of
-- support recipients (§2.14) with the form «образовательная». An event organised by a contractor
-- names the centre's contract with it; its cost is the centre's expense on the catalog row.
CREATE TABLE event (
    id            INTEGER PRIMARY KEY,
    service_code  TEXT    NOT NULL CHECK (service_code IN ('4.1.1', '4.1.2')),
    title         TEXT    NOT NULL CHECK (title <> ''),
    starts_on     TEXT    NOT NULL,
    ends_on       TEXT    NOT NULL,
    format        TEXT    NOT NULL CHECK (format IN ('in_person', 'remote', 'mixed')),
    place         TEXT    NOT NULL DEFAULT '',
    contract_id   INTEGER REFERENCES contractor_contract (id),
    cost          TEXT,
    status        TEXT    NOT NULL DEFAULT 'planned'
                  CHECK (status IN ('planned', 'registration', 'held', 'closed', 'cancelled')),
    staff         TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX event_date ON event (starts_on);

CREATE TABLE event_participant (
    id            INTEGER PRIMARY KEY,
    event_id      INTEGER NOT NULL REFERENCES event (id),
    sme_id        INTEGER NOT NULL REFERENCES sme (id),
    person        TEXT    NOT NULL DEFAULT '',
    registered_on TEXT    NOT NULL,
    attended      INTEGER NOT NULL DEFAULT 0 CHECK (attended IN (0, 1)),
    UNIQUE (event_id, sme_id, person)
);
CREATE INDEX event_participant_sme ON event_participant (sme_id);
