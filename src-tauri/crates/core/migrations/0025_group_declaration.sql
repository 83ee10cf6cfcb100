-- 0025: §4.3(3) per pair. Support is refused when the SME is in one group of persons (135-ФЗ) with
-- the contractor serving it, so the declaration that they are not is recorded for each SME and
-- contractor, with its date; an agreement is signed only when each of its contractors has one for
-- its SME dated not later than the signature. One row per pair; a later declaration replaces the
-- date (the journal keeps the earlier one).
CREATE TABLE group_declaration (
    id            INTEGER PRIMARY KEY,
    sme_id        INTEGER NOT NULL REFERENCES sme (id),
    contractor_id INTEGER NOT NULL REFERENCES contractor (id),
    declared_on   TEXT    NOT NULL,
    recorded_by   TEXT    NOT NULL,
    recorded_at   TEXT    NOT NULL,
    UNIQUE (sme_id, contractor_id)
);

-- Agreements signed before this change were signed on the contractor's general declaration; it
-- stands for their pairs, so the record of what was checked stays whole.
INSERT INTO group_declaration (sme_id, contractor_id, declared_on, recorded_by, recorded_at)
SELECT a.sme_id, i.contractor_id, min(c.group_declaration_on),
       'перенесено из общего заявления исполнителя (миграция 0025)', strftime('%Y-%m-%dT%H:%M:%S', 'now')
FROM agreement a
JOIN agreement_item i ON i.agreement_id = a.id
JOIN contractor c ON c.id = i.contractor_id
WHERE a.status <> 'draft' AND c.group_declaration_on IS NOT NULL
GROUP BY a.sme_id, i.contractor_id;
