-- Issue 18: the year whose budget an act spends, fixed when the act is signed (NULL while
-- unsigned). Acts signed before this change are given it by the default carry-over rule: the
-- agreement's year when signed before 1 April of the next year (000 §6), else the signing year.
ALTER TABLE act ADD COLUMN budget_year INTEGER;

UPDATE act SET budget_year = (
    SELECT CASE
        WHEN act.signed_on < printf('%04d-04-01', CAST(substr(g.date, 1, 4) AS INTEGER) + 1)
            THEN CAST(substr(g.date, 1, 4) AS INTEGER)
        ELSE CAST(substr(act.signed_on, 1, 4) AS INTEGER)
    END
    FROM agreement g WHERE g.id = act.agreement_id
)
WHERE signed_on IS NOT NULL;

CREATE INDEX act_budget_year ON act (budget_year) WHERE budget_year IS NOT NULL;
