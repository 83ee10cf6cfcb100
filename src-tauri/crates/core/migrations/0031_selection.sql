-- 0031: the competitive selection of businesses for an individual stand at an exhibition (002
-- §5.5.4): held by 1 March of the year (an additional one by 1 September), by the criteria and
-- scores the centre sets; the protocol ranks the applications and names the winners. An agreement
-- for an individual stand at that exhibition is signed only with a business that won.
CREATE TABLE selection (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES event (id),
    additional      INTEGER NOT NULL DEFAULT 0 CHECK (additional IN (0, 1)),
    announced_on    TEXT    NOT NULL,
    deadline        TEXT    NOT NULL,
    criteria_json   TEXT    NOT NULL,
    places          INTEGER NOT NULL CHECK (places >= 1),
    protocol_number TEXT,
    decided_on      TEXT,
    staff           TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    CHECK (deadline >= announced_on),
    CHECK ((protocol_number IS NULL) = (decided_on IS NULL))
);
CREATE INDEX selection_event ON selection (event_id);

CREATE TABLE selection_application (
    id           INTEGER PRIMARY KEY,
    selection_id INTEGER NOT NULL REFERENCES selection (id),
    sme_id       INTEGER NOT NULL REFERENCES sme (id),
    submitted_on TEXT    NOT NULL,
    scores_json  TEXT    NOT NULL DEFAULT '[]',
    rank         INTEGER,
    winner       INTEGER NOT NULL DEFAULT 0 CHECK (winner IN (0, 1)),
    UNIQUE (selection_id, sme_id)
);
