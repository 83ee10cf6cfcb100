-- 0005: fast search in the SME registry — a trigram full-text index over sme.search_text.
-- The trigram tokenizer indexes every three consecutive characters, so any substring of three or
-- more characters (a part of a name, INN, ОГРН, phone, contact) is found through the index
-- instead of scanning the table. The core writes search_text already lower-cased (Unicode) with
-- «ё» as «е»; case_sensitive 0 folds case again, which costs nothing and keeps the index
-- case-insensitive even for rows written by other means.
-- External content: the text lives once, in sme; triggers keep the index in step with every
-- insert, update and delete, whichever code makes them.

-- Rows written before this migration: «ё» folded to «е» like the core now does (already lower case).
UPDATE sme SET search_text = replace(search_text, 'ё', 'е') WHERE instr(search_text, 'ё') > 0;

CREATE VIRTUAL TABLE sme_fts USING fts5(
    search_text,
    content = 'sme',
    content_rowid = 'id',
    tokenize = 'trigram case_sensitive 0'
);
INSERT INTO sme_fts (sme_fts) VALUES ('rebuild');

CREATE TRIGGER sme_fts_after_insert AFTER INSERT ON sme BEGIN
    INSERT INTO sme_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER sme_fts_after_delete AFTER DELETE ON sme BEGIN
    INSERT INTO sme_fts (sme_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER sme_fts_after_update AFTER UPDATE OF search_text ON sme BEGIN
    INSERT INTO sme_fts (sme_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO sme_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
