-- The acts of a period printed into one PDF are archived like every other document (issue 6). A batch
-- comes from no single record but from a period: kind 'acts_batch', source_id 0, and the period in
-- period_from/period_to (both set exactly for batches). SQLite cannot change a CHECK constraint in
-- place, so the table is rebuilt with its rows, ids and index kept; versions of a batch are counted
-- per period, of a record per record.
CREATE TABLE document_new (
    id             INTEGER PRIMARY KEY,
    kind           TEXT    NOT NULL CHECK (kind IN ('agreement', 'act', 'refusal', 'extract', 'acts_batch')),
    source_id      INTEGER NOT NULL,
    period_from    TEXT,
    period_to      TEXT,
    number         TEXT    NOT NULL,
    date           TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),
    sha256         TEXT    NOT NULL,
    content_sha256 TEXT    NOT NULL,
    pdf            BLOB    NOT NULL,
    created_by     TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    signed_on      TEXT,
    scan           BLOB,
    scan_name      TEXT,
    scan_type      TEXT CHECK (scan_type IS NULL OR scan_type IN ('pdf', 'jpeg', 'png')),
    CHECK ((kind = 'acts_batch') = (period_from IS NOT NULL AND period_to IS NOT NULL)),
    CHECK (kind <> 'acts_batch' OR (source_id = 0 AND period_from <= period_to))
);
INSERT INTO document_new (id, kind, source_id, number, date, title, version, sha256, content_sha256, pdf,
                          created_by, created_at, signed_on, scan, scan_name, scan_type)
SELECT id, kind, source_id, number, date, title, version, sha256, content_sha256, pdf,
       created_by, created_at, signed_on, scan, scan_name, scan_type
FROM document;
DROP TABLE document;
ALTER TABLE document_new RENAME TO document;
CREATE UNIQUE INDEX document_version ON document (kind, source_id, coalesce(period_from, ''), coalesce(period_to, ''), version);
CREATE INDEX document_by_source ON document (kind, source_id);
