-- 0034 on the server: pg_trgm reads only letters and digits, so for «демо-кедр» it looked for the
-- words «демо» and «кедр» anywhere in the record and then re-read every such row (on the large
-- demo 3 629 rows for 1 445 matches, twice the work). The search key is `search_text` with each
-- punctuation mark written as «џ» (a Serbian letter no Russian text uses; in every Cyrillic
-- encoding and alphabetic in every locale), which pg_trgm takes for a letter: a word's trigrams
-- then span its punctuation. The key only narrows the rows; the search still checks the word
-- itself in `search_text` (two marks written as one letter could match otherwise). The list of
-- marks is fixed here, not a locale's character class, so the key is the same on every server.
CREATE FUNCTION cpe_search_key(t TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT translate(t, marks, repeat('џ', length(marks)))
    FROM (SELECT '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~«»„“”‘’–—№…·•'::text AS marks) AS m
$$;

ALTER TABLE sme ADD COLUMN search_key TEXT GENERATED ALWAYS AS (cpe_search_key(search_text)) STORED;
CREATE INDEX sme_search_key ON sme USING gin (search_key gin_trgm_ops);
-- Every search of `search_text` on the server goes through the key now (the registry's list and
-- the journal's search of a business's changes).
DROP INDEX sme_search_trgm;
