-- 0006: the daily workflow — contractors and their contracts, applications with their status
-- timeline and documents, agreements (numbered per year) with items, payment schedule, stages and
-- supplementary agreements, acts, payments of the SME share and the export reporting obligation.

CREATE TABLE IF NOT EXISTS setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Исполнители: organisations and individual specialists the centre hires.
CREATE TABLE contractor (
    id                   INTEGER PRIMARY KEY,
    kind                 TEXT    NOT NULL CHECK (kind IN ('organisation', 'individual')),
    name                 TEXT    NOT NULL CHECK (name <> ''),
    inn                  TEXT    NOT NULL UNIQUE,
    accredited_rec       INTEGER NOT NULL DEFAULT 0 CHECK (accredited_rec IN (0, 1)),
    contact_person       TEXT    NOT NULL DEFAULT '',
    phone                TEXT    NOT NULL DEFAULT '',
    email                TEXT    NOT NULL DEFAULT '',
    -- Date of the declaration that it is not in one group of persons with the SMEs it serves (§4.3(3)).
    group_declaration_on TEXT,
    notes                TEXT    NOT NULL DEFAULT '',
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL
);

-- Договор ЦПЭ с исполнителем.
CREATE TABLE contractor_contract (
    id            INTEGER PRIMARY KEY,
    contractor_id INTEGER NOT NULL REFERENCES contractor (id),
    number        TEXT    NOT NULL CHECK (number <> ''),
    date          TEXT    NOT NULL,
    amount        TEXT    NOT NULL,
    UNIQUE (contractor_id, number)
);

-- Заявки.
CREATE TABLE application (
    id                   INTEGER PRIMARY KEY,
    sme_id               INTEGER NOT NULL REFERENCES sme (id),
    service_code         TEXT    NOT NULL,
    received_on          TEXT    NOT NULL,
    channel              TEXT    NOT NULL CHECK (channel IN ('visit', 'email', 'phone', 'federal_platform')),
    responsible_staff_id INTEGER REFERENCES staff (id),
    status               TEXT    NOT NULL,
    -- The day the application entered its status: deadlines count from the day after it.
    status_since         TEXT    NOT NULL,
    refusal_code         TEXT,
    refusal_text         TEXT    NOT NULL DEFAULT '',
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL
);
CREATE INDEX application_sme ON application (sme_id);
CREATE INDEX application_status ON application (status);

CREATE TABLE application_item (
    application_id INTEGER NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    item_code      TEXT    NOT NULL,
    PRIMARY KEY (application_id, item_code)
);

-- Чек-лист документов, которые требует услуга каталога.
CREATE TABLE application_document (
    application_id INTEGER NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    name           TEXT    NOT NULL,
    received_on    TEXT,
    PRIMARY KEY (application_id, position)
);

-- История статусов заявки (кто, когда, комментарий).
CREATE TABLE application_event (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    at             TEXT    NOT NULL,
    actor          TEXT    NOT NULL,
    from_status    TEXT,
    to_status      TEXT    NOT NULL,
    comment        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX application_event_app ON application_event (application_id);

-- The last agreement number of each year; incremented inside BEGIN IMMEDIATE.
CREATE TABLE agreement_counter (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

-- Соглашения.
CREATE TABLE agreement (
    id                   INTEGER PRIMARY KEY,
    number               TEXT    NOT NULL UNIQUE,
    date                 TEXT    NOT NULL,
    sme_id               INTEGER NOT NULL REFERENCES sme (id),
    application_id       INTEGER REFERENCES application (id),
    catalog_version_id   INTEGER NOT NULL REFERENCES catalog_version (id),
    service_code         TEXT    NOT NULL,
    participants         INTEGER,
    declaration_signed   INTEGER NOT NULL DEFAULT 0 CHECK (declaration_signed IN (0, 1)),
    status               TEXT    NOT NULL CHECK (status IN ('draft', 'signed', 'in_progress', 'completed', 'terminated')),
    -- The day the centre received the original signed by the SME = start of service.
    signed_on            TEXT,
    completed_on         TEXT,
    terminated_on        TEXT,
    termination_reason   TEXT    NOT NULL DEFAULT '',
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL
);
CREATE INDEX agreement_sme ON agreement (sme_id);

CREATE TABLE agreement_item (
    id            INTEGER PRIMARY KEY,
    agreement_id  INTEGER NOT NULL REFERENCES agreement (id) ON DELETE CASCADE,
    item_code     TEXT    NOT NULL,
    cost          TEXT    NOT NULL,
    sme_share     TEXT    NOT NULL,
    state_fees    TEXT    NOT NULL DEFAULT '0.00',
    centre_share  TEXT    NOT NULL,
    contractor_id INTEGER REFERENCES contractor (id),
    contract_id   INTEGER REFERENCES contractor_contract (id),
    UNIQUE (agreement_id, item_code)
);

-- График оплаты доли СМСП.
CREATE TABLE agreement_payment_plan (
    agreement_id INTEGER NOT NULL REFERENCES agreement (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    due_on       TEXT    NOT NULL,
    amount       TEXT    NOT NULL,
    PRIMARY KEY (agreement_id, position)
);

-- Этапы.
CREATE TABLE agreement_stage (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreement (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    name         TEXT    NOT NULL CHECK (name <> ''),
    starts_on    TEXT,
    ends_on      TEXT    NOT NULL
);

-- Дополнительные соглашения: the money terms before and after.
CREATE TABLE agreement_amendment (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreement (id),
    number       TEXT    NOT NULL,
    date         TEXT    NOT NULL,
    before_json  TEXT    NOT NULL CHECK (json_valid(before_json)),
    after_json   TEXT    NOT NULL CHECK (json_valid(after_json)),
    created_at   TEXT    NOT NULL,
    UNIQUE (agreement_id, number)
);

-- Акты оказанных услуг (records; the printed form is another module).
CREATE TABLE act (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreement (id),
    stage_id     INTEGER REFERENCES agreement_stage (id),
    number       TEXT    NOT NULL,
    date         TEXT    NOT NULL,
    signed_on    TEXT,
    created_at   TEXT    NOT NULL,
    UNIQUE (agreement_id, number)
);

CREATE TABLE act_item (
    act_id       INTEGER NOT NULL REFERENCES act (id) ON DELETE CASCADE,
    item_code    TEXT    NOT NULL,
    amount       TEXT    NOT NULL,
    centre_share TEXT    NOT NULL,
    PRIMARY KEY (act_id, item_code)
);

-- Поступившие платежи доли СМСП.
CREATE TABLE payment (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreement (id),
    paid_on      TEXT    NOT NULL,
    amount       TEXT    NOT NULL,
    document     TEXT    NOT NULL CHECK (document <> ''),
    created_at   TEXT    NOT NULL
);
CREATE INDEX payment_agreement ON payment (agreement_id);

-- Обязанность СМСП 3 года сообщать об экспортных контрактах (комплексные услуги).
CREATE TABLE export_reporting_obligation (
    agreement_id INTEGER PRIMARY KEY REFERENCES agreement (id),
    sme_id       INTEGER NOT NULL REFERENCES sme (id),
    starts_on    TEXT    NOT NULL,
    ends_on      TEXT    NOT NULL
);
