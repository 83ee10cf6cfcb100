-- 0020: the head's recorded decision to sign an agreement that the centre had the right to refuse
-- (§6.1.5 of the regulation: «ЦПЭ имеет право отказать», not an automatic ban): who, when, why.
CREATE TABLE agreement_decision (
    agreement_id INTEGER PRIMARY KEY REFERENCES agreement (id),
    paragraph    TEXT    NOT NULL,
    reason       TEXT    NOT NULL CHECK (reason <> ''),
    decided_by   TEXT    NOT NULL,
    decided_at   TEXT    NOT NULL
);
