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

-- The name as the list sorts it: without the legal form and quotes, so «ООО «Рыбный двор»» sorts
-- under Р next to «АО «Рыбак»», as a person looks for it (and so a frequent word like «ооо» is
-- spread over the list instead of bunched at О). Computed from search_text, which the core
-- writes folded (Unicode lower case, «ё» as «е») with the full name first and « | » after it —
-- SQLite's own lower() knows only ASCII. The rule is written once, as virtual columns; triggers
-- copy its value into the stored sort_name, because computing it for every match while sorting
-- costs more than the rest of a search.
ALTER TABLE sme ADD COLUMN sort_base TEXT GENERATED ALWAYS AS (
    trim(replace(replace(replace(replace(replace(replace(
        CASE WHEN instr(search_text, ' | ') > 0 THEN substr(search_text, 1, instr(search_text, ' | ') - 1)
             ELSE search_text END,
        '«', ''), '»', ''), '"', ''), '“', ''), '”', ''), '„', ''))
) VIRTUAL;
ALTER TABLE sme ADD COLUMN sort_rule TEXT GENERATED ALWAYS AS (
    CASE
        WHEN substr(sort_base, 1, 41) = 'общество с ограниченной ответственностью ' THEN ltrim(substr(sort_base, 42))
        WHEN substr(sort_base, 1, 31) = 'публичное акционерное общество ' THEN ltrim(substr(sort_base, 32))
        WHEN substr(sort_base, 1, 33) = 'непубличное акционерное общество ' THEN ltrim(substr(sort_base, 34))
        WHEN substr(sort_base, 1, 30) = 'закрытое акционерное общество ' THEN ltrim(substr(sort_base, 31))
        WHEN substr(sort_base, 1, 30) = 'открытое акционерное общество ' THEN ltrim(substr(sort_base, 31))
        WHEN substr(sort_base, 1, 21) = 'акционерное общество ' THEN ltrim(substr(sort_base, 22))
        WHEN substr(sort_base, 1, 31) = 'индивидуальный предприниматель ' THEN ltrim(substr(sort_base, 32))
        WHEN substr(sort_base, 1, 44) = 'глава крестьянского (фермерского) хозяйства ' THEN ltrim(substr(sort_base, 45))
        WHEN substr(sort_base, 1, 10) = 'глава кфх ' THEN ltrim(substr(sort_base, 11))
        WHEN substr(sort_base, 1, 4) = 'ооо ' THEN ltrim(substr(sort_base, 5))
        WHEN substr(sort_base, 1, 4) = 'пао ' THEN ltrim(substr(sort_base, 5))
        WHEN substr(sort_base, 1, 4) = 'зао ' THEN ltrim(substr(sort_base, 5))
        WHEN substr(sort_base, 1, 4) = 'оао ' THEN ltrim(substr(sort_base, 5))
        WHEN substr(sort_base, 1, 3) = 'ао ' THEN ltrim(substr(sort_base, 4))
        WHEN substr(sort_base, 1, 3) = 'ип ' THEN ltrim(substr(sort_base, 4))
        WHEN substr(sort_base, 1, 4) = 'кфх ' THEN ltrim(substr(sort_base, 5))
        WHEN substr(sort_base, 1, 4) = 'ано ' THEN ltrim(substr(sort_base, 5))
        WHEN substr(sort_base, 1, 4) = 'нко ' THEN ltrim(substr(sort_base, 5))
        ELSE sort_base
    END
) VIRTUAL;

ALTER TABLE sme ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
UPDATE sme SET sort_name = sort_rule;
CREATE TRIGGER sme_sort_name_after_insert AFTER INSERT ON sme BEGIN
    UPDATE sme SET sort_name = sort_rule WHERE id = new.id;
END;
CREATE TRIGGER sme_sort_name_after_update AFTER UPDATE OF search_text ON sme BEGIN
    UPDATE sme SET sort_name = sort_rule WHERE id = new.id;
END;

-- Covering indexes for walking the list in its sort order while checking the search text, for
-- words so frequent that fetching and sorting all their matches would cost more than the walk.
CREATE INDEX sme_name_search ON sme (sort_name, search_text);
CREATE INDEX sme_inn_search ON sme (inn, search_text);
