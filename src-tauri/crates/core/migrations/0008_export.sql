-- 0008: export results (issue 7) — the Central Bank's exchange rates, the database of foreign buyers
-- (§2.15), the export contracts and e-commerce sales the SMEs report (§5.5.2: 3 years, 15 working
-- days) with their volume by year in thousand US dollars, and the staff's demand forecast (§7.1).

-- Курсы ЦБ РФ, one per day and currency: `value` roubles for `nominal` units as published, and
-- `unit_rate` roubles for one unit (VunitRate where the file has it, value / nominal otherwise).
CREATE TABLE currency_rate (
    date       TEXT    NOT NULL,
    char_code  TEXT    NOT NULL CHECK (length(char_code) = 3),
    nominal    INTEGER NOT NULL CHECK (nominal > 0),
    value      TEXT    NOT NULL,
    unit_rate  TEXT    NOT NULL,
    source     TEXT    NOT NULL CHECK (source IN ('cbr_daily', 'cbr_dynamic', 'manual')),
    entered_by TEXT    NOT NULL DEFAULT '',
    entered_at TEXT    NOT NULL,
    PRIMARY KEY (date, char_code)
) WITHOUT ROWID;

-- База иностранных покупателей.
CREATE TABLE foreign_buyer (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL CHECK (name <> ''),
    -- ОКСМ, three digits.
    country_code        TEXT    NOT NULL CHECK (length(country_code) = 3),
    city                TEXT    NOT NULL DEFAULT '',
    address             TEXT    NOT NULL DEFAULT '',
    contact_person      TEXT    NOT NULL DEFAULT '',
    phone               TEXT    NOT NULL DEFAULT '',
    email               TEXT    NOT NULL DEFAULT '',
    website             TEXT    NOT NULL DEFAULT '',
    -- What it buys: a description and ТН ВЭД codes separated by commas.
    products            TEXT    NOT NULL DEFAULT '',
    hs_codes            TEXT    NOT NULL DEFAULT '',
    -- Where the centre found it: a service under an agreement, an event, or something else.
    source_kind         TEXT    NOT NULL CHECK (source_kind IN ('service', 'event', 'other')),
    source_agreement_id INTEGER REFERENCES agreement (id),
    source_text         TEXT    NOT NULL DEFAULT '',
    notes               TEXT    NOT NULL DEFAULT '',
    -- Lower-cased name, city, contacts, products and codes for search.
    search_text         TEXT    NOT NULL DEFAULT '',
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL
);
CREATE INDEX foreign_buyer_country ON foreign_buyer (country_code);

CREATE TABLE foreign_buyer_sme (
    buyer_id INTEGER NOT NULL REFERENCES foreign_buyer (id) ON DELETE CASCADE,
    sme_id   INTEGER NOT NULL REFERENCES sme (id),
    PRIMARY KEY (buyer_id, sme_id)
) WITHOUT ROWID;
CREATE INDEX foreign_buyer_sme_by_sme ON foreign_buyer_sme (sme_id);

-- Экспортные контракты и продажи через международную электронную торговлю, о которых сообщил СМСП.
CREATE TABLE export_contract (
    id                INTEGER PRIMARY KEY,
    sme_id            INTEGER NOT NULL REFERENCES sme (id),
    kind              TEXT    NOT NULL CHECK (kind IN ('contract', 'ecommerce')),
    -- The support it results from; NULL = reported, but not a result of the centre's support
    -- (it does not count in the KPIs).
    agreement_id      INTEGER REFERENCES agreement (id),
    item_code         TEXT,
    subject           TEXT    NOT NULL CHECK (subject <> ''),
    number            TEXT    NOT NULL DEFAULT '',
    contract_date     TEXT    NOT NULL,
    country_code      TEXT    NOT NULL CHECK (length(country_code) = 3),
    buyer_id          INTEGER REFERENCES foreign_buyer (id),
    -- The counterparty's name as reported (the buyer record may be renamed later).
    counterparty_name TEXT    NOT NULL CHECK (counterparty_name <> ''),
    -- ISO 4217 letter code and the total in that currency.
    currency          TEXT    NOT NULL CHECK (length(currency) = 3),
    amount            TEXT    NOT NULL,
    -- The Central Bank's rates on the contract date, frozen when entered: roubles for one unit of
    -- the currency and for one US dollar.
    rate_currency     TEXT    NOT NULL,
    rate_usd          TEXT    NOT NULL,
    -- The day the SME reported it (due within 15 working days after contract_date).
    reported_on       TEXT    NOT NULL,
    notes             TEXT    NOT NULL DEFAULT '',
    created_by        TEXT    NOT NULL,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);
CREATE INDEX export_contract_sme ON export_contract (sme_id);
CREATE INDEX export_contract_agreement ON export_contract (agreement_id);
CREATE INDEX export_contract_date ON export_contract (contract_date);

-- Объём экспорта по годам: in the contract's currency and in thousand US dollars at the rates above.
CREATE TABLE export_contract_volume (
    contract_id  INTEGER NOT NULL REFERENCES export_contract (id) ON DELETE CASCADE,
    year         INTEGER NOT NULL,
    amount       TEXT    NOT NULL,
    usd_thousand TEXT    NOT NULL,
    PRIMARY KEY (contract_id, year)
) WITHOUT ROWID;

-- Анализ потребности на следующий год: the staff's forecast per catalog item.
CREATE TABLE demand_forecast (
    year       INTEGER NOT NULL,
    item_code  TEXT    NOT NULL,
    services   INTEGER NOT NULL CHECK (services >= 0),
    -- The centre's spending the forecast implies, roubles.
    amount     TEXT    NOT NULL,
    comment    TEXT    NOT NULL DEFAULT '',
    updated_by TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (year, item_code)
) WITHOUT ROWID;
