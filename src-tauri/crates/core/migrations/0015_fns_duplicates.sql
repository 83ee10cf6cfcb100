-- An INN repeated inside one registry snapshot (the same business in two files) keeps the later
-- record; how many repeats there were is kept with the snapshot so its figures add up (issue 14).
ALTER TABLE fns_snapshot ADD COLUMN records_duplicate INTEGER NOT NULL DEFAULT 0;
