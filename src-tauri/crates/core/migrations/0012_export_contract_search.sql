-- The export contracts' list searches a folded text (lower case for Russian, «ё» as «е») kept with
-- each contract, like the SME registry and the foreign buyers: SQLite's lower() folded ASCII only,
-- so «китай» never found «Китай». The program fills it right after this step (`db::migrate`), since
-- folding Cyrillic is done in Rust; the buyers' search text is folded again for «ё» then too.
ALTER TABLE export_contract ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
