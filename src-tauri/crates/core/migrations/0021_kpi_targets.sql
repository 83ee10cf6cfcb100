-- 0021: the yearly KPI targets the region sets for the centre (standard 2.0 §6: «утвержденные КПЭ …
-- исполнены на 100 %»), one row per year and KPI; a KPI without a target has no row.
CREATE TABLE kpi_target (
    year   INTEGER NOT NULL CHECK (year BETWEEN 2001 AND 2100),
    kpi    TEXT    NOT NULL CHECK (kpi IN ('smes_supported', 'smes_with_contracts', 'export_volume_usd_thousand')),
    target TEXT    NOT NULL,
    PRIMARY KEY (year, kpi)
);
