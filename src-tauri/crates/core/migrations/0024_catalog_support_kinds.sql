-- 0024: the items that are one kind of support across services (the website of 5.2, 5.4 and 5.7;
-- storage abroad of 5.1 and 5.2) are marked with it in the stored catalog versions by
-- `catalog::fill_support_kinds` right after this step, so the cap per SME can be counted per kind
-- of support when the centre chooses that reading. Terms (shares, caps, items) are not touched.
SELECT 1;
