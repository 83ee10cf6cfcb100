-- 0019: a person's request to stop processing their personal data (ст. 21 152-ФЗ) and the day the
-- data was erased, once the three years of keeping the centre's records (§7.3) had passed.
CREATE TABLE sme_personal_data (
    sme_id       INTEGER PRIMARY KEY REFERENCES sme (id),
    withdrawn_on TEXT    NOT NULL,
    erased_on    TEXT
);
