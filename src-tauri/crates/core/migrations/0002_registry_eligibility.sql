-- 0002: the imported open-data SME registry of the tax service (snapshots and their records) and
-- the eligibility checks of §4.2–4.3 of the regulation, with the settings they need.

-- Small key-value settings of rules (e.g. how many days an eligibility check stays valid).
-- IF NOT EXISTS: another branch of the same release may add this table too.
CREATE TABLE IF NOT EXISTS setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT OR IGNORE INTO setting (key, value) VALUES ('eligibility.recheck_days', '30');

-- One import of the «Единый реестр субъектов МСП» open data: its state date (ДатаСост) and the
-- regions it was filtered to ('' = all regions; otherwise sorted codes joined by ',').
-- Re-importing the same date and regions replaces the snapshot.
CREATE TABLE fns_snapshot (
    id               INTEGER PRIMARY KEY,
    state_date       TEXT    NOT NULL,
    regions          TEXT    NOT NULL,
    source_files     TEXT    NOT NULL,  -- one file name per line
    format_version   TEXT    NOT NULL,
    records_seen     INTEGER NOT NULL,
    records_imported INTEGER NOT NULL,
    records_skipped  INTEGER NOT NULL,
    imported_at      TEXT    NOT NULL,
    imported_by      TEXT    NOT NULL,
    UNIQUE (state_date, regions)
);

-- One business of a snapshot. No rowid: the key is what every lookup uses, and it halves the
-- size of a national import.
CREATE TABLE fns_record (
    snapshot_id  INTEGER NOT NULL REFERENCES fns_snapshot (id) ON DELETE CASCADE,
    inn          TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('legal_entity', 'sole_proprietor', 'farm_head')),
    category     TEXT    NOT NULL CHECK (category IN ('micro', 'small', 'medium')),
    included_on  TEXT,
    full_name    TEXT    NOT NULL,
    short_name   TEXT    NOT NULL DEFAULT '',
    last_name    TEXT    NOT NULL DEFAULT '',
    first_name   TEXT    NOT NULL DEFAULT '',
    patronymic   TEXT    NOT NULL DEFAULT '',
    ogrn         TEXT    NOT NULL DEFAULT '',
    region_code  TEXT    NOT NULL,
    okved_main   TEXT    NOT NULL DEFAULT '',
    okved_extra  TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (snapshot_id, inn)
) WITHOUT ROWID;
CREATE INDEX fns_record_inn ON fns_record (inn);

-- Проверка соответствия СМСП требованиям §4 (who, when, against which source, overall verdict).
-- The snapshot may be deleted later: its date stays here so the check still says what it relied on.
CREATE TABLE eligibility_check (
    id              INTEGER PRIMARY KEY,
    sme_id          INTEGER NOT NULL REFERENCES sme (id),
    checked_at      TEXT    NOT NULL,
    checked_by      TEXT    NOT NULL,
    source_kind     TEXT    NOT NULL CHECK (source_kind IN ('snapshot', 'manual')),
    snapshot_id     INTEGER REFERENCES fns_snapshot (id) ON DELETE SET NULL,
    snapshot_date   TEXT,
    source_comment  TEXT    NOT NULL DEFAULT '',
    outcome         TEXT    NOT NULL CHECK (outcome IN ('eligible', 'not_eligible', 'incomplete'))
);
CREATE INDEX eligibility_check_sme ON eligibility_check (sme_id, checked_at);

-- One criterion of a check with its outcome and reason.
CREATE TABLE eligibility_criterion (
    check_id  INTEGER NOT NULL REFERENCES eligibility_check (id) ON DELETE CASCADE,
    criterion TEXT    NOT NULL,
    outcome   TEXT    NOT NULL CHECK (outcome IN ('pass', 'fail', 'unknown')),
    reason    TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (check_id, criterion)
) WITHOUT ROWID;
