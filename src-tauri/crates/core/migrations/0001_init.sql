-- 0001: the foundation — audit log, centre requisites and staff, settings, the SME registry record.
-- Dates are ISO 'YYYY-MM-DD' TEXT, timestamps ISO 'YYYY-MM-DDTHH:MM:SS' local TEXT, money Decimal as TEXT.

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    entity      TEXT    NOT NULL,
    entity_id   TEXT    NOT NULL,
    action      TEXT    NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- Реквизиты ЦПЭ: exactly one row.
CREATE TABLE centre (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    full_name             TEXT NOT NULL DEFAULT '',
    short_name            TEXT NOT NULL DEFAULT '',
    inn                   TEXT NOT NULL DEFAULT '',
    kpp                   TEXT NOT NULL DEFAULT '',
    ogrn                  TEXT NOT NULL DEFAULT '',
    region_code           TEXT NOT NULL DEFAULT '',
    city                  TEXT NOT NULL DEFAULT '',
    legal_address         TEXT NOT NULL DEFAULT '',
    postal_address        TEXT NOT NULL DEFAULT '',
    phone                 TEXT NOT NULL DEFAULT '',
    email                 TEXT NOT NULL DEFAULT '',
    bank_name             TEXT NOT NULL DEFAULT '',
    bik                   TEXT NOT NULL DEFAULT '',
    settlement_account    TEXT NOT NULL DEFAULT '',
    correspondent_account TEXT NOT NULL DEFAULT '',
    head_position         TEXT NOT NULL DEFAULT '',
    head_name             TEXT NOT NULL DEFAULT ''
);
INSERT INTO centre (id) VALUES (1);

-- Сотрудники ЦПЭ. Staff are deactivated, never deleted: the audit log and documents name them.
CREATE TABLE staff (
    id        INTEGER PRIMARY KEY,
    full_name TEXT    NOT NULL CHECK (full_name <> ''),
    position  TEXT    NOT NULL DEFAULT '',
    active    INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

-- Субъекты МСП и самозанятые, которых обслуживает центр.
CREATE TABLE sme (
    id                   INTEGER PRIMARY KEY,
    kind                 TEXT NOT NULL CHECK (kind IN ('legal_entity', 'sole_proprietor', 'farm_head', 'self_employed')),
    full_name            TEXT NOT NULL CHECK (full_name <> ''),
    short_name           TEXT NOT NULL DEFAULT '',
    last_name            TEXT NOT NULL DEFAULT '',
    first_name           TEXT NOT NULL DEFAULT '',
    patronymic           TEXT NOT NULL DEFAULT '',
    inn                  TEXT NOT NULL UNIQUE,
    ogrn                 TEXT NOT NULL DEFAULT '',
    kpp                  TEXT NOT NULL DEFAULT '',
    category             TEXT CHECK (category IN ('micro', 'small', 'medium')),
    registry_included_on TEXT,
    region_code          TEXT NOT NULL DEFAULT '',
    legal_address        TEXT NOT NULL DEFAULT '',
    okved_main           TEXT NOT NULL DEFAULT '',
    okved_extra          TEXT NOT NULL DEFAULT '',
    products             TEXT NOT NULL DEFAULT '',
    hs_codes             TEXT NOT NULL DEFAULT '',
    target_countries     TEXT NOT NULL DEFAULT '',
    export_experience    TEXT NOT NULL DEFAULT 'none' CHECK (export_experience IN ('none', 'one_off', 'regular')),
    head_position        TEXT NOT NULL DEFAULT '',
    head_name            TEXT NOT NULL DEFAULT '',
    contact_person       TEXT NOT NULL DEFAULT '',
    phone                TEXT NOT NULL DEFAULT '',
    email                TEXT NOT NULL DEFAULT '',
    pd_consent_on        TEXT,
    notes                TEXT NOT NULL DEFAULT '',
    -- Lower-cased names, identifiers and contacts, written by the core: SQLite's lower() knows only ASCII.
    search_text          TEXT NOT NULL DEFAULT '',
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX sme_full_name ON sme (full_name COLLATE NOCASE);
