-- 0028: the format an agreement's service is given in (разд. 3, 5.7: in Russia or abroad, with an
-- individual or a collective stand; 5.8: whose point of presence), and for a format given on a
-- competitive basis the selection the SME won (§5.5.4: protocol number and date). The stored
-- catalog versions get the formats from the seed by `catalog::fill_seed_annotations`.
ALTER TABLE agreement ADD COLUMN format TEXT;
ALTER TABLE agreement ADD COLUMN selection TEXT;
