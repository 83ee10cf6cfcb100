-- 0030: events. Seminars, master classes and webinars of rows 4.1.1 and 4.1.2 («согласно плану
-- проведения мероприятий», 002 §5.4.1) have participants registered and marked present: attendance,
-- not registration, is the service given (KPI 1, the registry of recipients §2.14, form
-- «образовательная»); one organised by a contractor names the centre's contract with it, and its
-- cost is the centre's expense on the catalog row. Missions, exhibitions and accelerators (5.4, 5.5,
-- 5.6, 5.7, 5.9) are given to each participant under its own agreement («с каждым участником»): the
-- agreement names its event, and a minimum of participants is counted from the event's signed
-- agreements. An event may be in the year's plan of events (000 §11, carried out ≥ 80 %).
CREATE TABLE event (
    id            INTEGER PRIMARY KEY,
    service_code  TEXT    NOT NULL CHECK (service_code IN ('4.1.1', '4.1.2', '5.4', '5.5', '5.6', '5.7', '5.9')),
    title         TEXT    NOT NULL CHECK (title <> ''),
    starts_on     TEXT    NOT NULL,
    ends_on       TEXT    NOT NULL,
    format        TEXT    NOT NULL CHECK (format IN ('in_person', 'remote', 'mixed')),
    place         TEXT    NOT NULL DEFAULT '',
    country_code  TEXT    NOT NULL DEFAULT '',
    city          TEXT    NOT NULL DEFAULT '',
    exhibition    TEXT    NOT NULL DEFAULT '',
    in_plan       INTEGER NOT NULL DEFAULT 0 CHECK (in_plan IN (0, 1)),
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

ALTER TABLE agreement ADD COLUMN event_id INTEGER REFERENCES event (id);
CREATE INDEX agreement_event ON agreement (event_id) WHERE event_id IS NOT NULL;
