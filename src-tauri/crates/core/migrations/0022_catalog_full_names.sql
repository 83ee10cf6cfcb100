-- 0022: the names of catalog rows 4.3, 4.4 and 5.7 as the regulation words them (they were
-- shortened); the change is made to the stored catalog versions by `catalog::restore_full_names`
-- right after this step. Terms (shares, caps, items) are not touched.
SELECT 1;
