-- Scans of signed papers are kept, every one (issue 14): attaching another scan adds a version
-- instead of replacing the first. Each keeps its bytes, the sha256 of them (also in its journal
-- entry), its file name and who attached it when. The scans attached so far move here as version 1;
-- their sha256 is computed by the program right after this step (`db::migrate`). The old columns of
-- `document` are emptied (SQLite cannot drop a column a CHECK names).
CREATE TABLE document_scan (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES document (id),
    version     INTEGER NOT NULL CHECK (version >= 1),
    file_name   TEXT    NOT NULL,
    scan_type   TEXT    NOT NULL CHECK (scan_type IN ('pdf', 'jpeg', 'png')),
    sha256      TEXT    NOT NULL,
    bytes       BLOB    NOT NULL,
    attached_by TEXT    NOT NULL,
    attached_at TEXT    NOT NULL,
    UNIQUE (document_id, version)
);
INSERT INTO document_scan (document_id, version, file_name, scan_type, sha256, bytes, attached_by, attached_at)
SELECT id, 1, coalesce(scan_name, 'скан'), coalesce(scan_type, 'pdf'), '', scan, created_by, created_at
FROM document WHERE scan IS NOT NULL;
UPDATE document SET scan = NULL, scan_name = NULL, scan_type = NULL WHERE scan IS NOT NULL;
