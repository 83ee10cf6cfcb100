-- 0003: the service catalog (versions by effective date), the yearly budget (смета) per catalog row, and the cofinancing settings.

-- Версия каталога услуг. A version is a snapshot: its services (with base/additional items and
-- their terms) are one JSON document; an agreement refers to the version it was concluded under.
-- The shipped catalog is loaded by the core right after the migrations (catalog::seed_if_empty).
CREATE TABLE catalog_version (
    id             INTEGER PRIMARY KEY,
    effective_from TEXT NOT NULL UNIQUE CHECK (effective_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    title          TEXT NOT NULL,
    services_json  TEXT NOT NULL CHECK (json_valid(services_json)),
    -- First day an agreement was concluded under this version: from then on its terms are frozen.
    used_since     TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- Смета на финансовый год. `total` NULL means "the sum of the lines".
CREATE TABLE budget_year (
    year  INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    total TEXT
);

-- Строка сметы: the amount for one catalog row (service code, e.g. '4.2') in a year.
CREATE TABLE budget_line (
    year         INTEGER NOT NULL REFERENCES budget_year (year),
    service_code TEXT    NOT NULL CHECK (service_code <> ''),
    amount       TEXT    NOT NULL,
    PRIMARY KEY (year, service_code)
);

-- Settings of the cofinancing rules (cap period, warning thresholds): one row, a JSON object;
-- missing keys take the defaults of cofinancing::CofinancingSettings.
CREATE TABLE cofinancing_settings (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    body_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(body_json))
);
INSERT INTO cofinancing_settings (id) VALUES (1);
