-- 0026: quantities of an agreement's item for the terms its catalog item sets in quantities
-- (разд. 3: accommodation ≤ 5 000 ₽ per guest per day, ≥ 4 m² of stand per SME, storage abroad
-- ≤ 6 months and ≤ 100 m², «экономическим классом», «кроме такси»), as one JSON object
-- (`catalog::ItemQuantity`). The stored catalog versions get the items' limits from the seed by
-- `catalog::fill_seed_annotations` right after this step. Agreements signed before keep `{}`:
-- they were checked by the rules of their day.
ALTER TABLE agreement_item ADD COLUMN quantity_json TEXT NOT NULL DEFAULT '{}';
