-- Archive of generated documents (issue 6): every PDF printed from a record is kept with its hash;
-- regenerating after the record changed adds a version, the old ones stay. The record a document
-- came from is named by kind + source_id (agreement, act, application, sme), as in the audit log.
CREATE TABLE document (
    id             INTEGER PRIMARY KEY,
    kind           TEXT    NOT NULL CHECK (kind IN ('agreement', 'act', 'refusal', 'extract')),
    source_id      INTEGER NOT NULL,
    number         TEXT    NOT NULL,
    date           TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),
    -- sha256 of the stored PDF bytes (hex).
    sha256         TEXT    NOT NULL,
    -- sha256 of what the document shows (its laid-out pages, title, author, subject; not the creation
    -- date or printpdf's random ids): equal content keeps the version.
    content_sha256 TEXT    NOT NULL,
    pdf            BLOB    NOT NULL,
    created_by     TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    signed_on      TEXT,
    scan           BLOB,
    scan_name      TEXT,
    scan_type      TEXT CHECK (scan_type IS NULL OR scan_type IN ('pdf', 'jpeg', 'png')),
    UNIQUE (kind, source_id, version)
);
CREATE INDEX document_by_source ON document (kind, source_id);
