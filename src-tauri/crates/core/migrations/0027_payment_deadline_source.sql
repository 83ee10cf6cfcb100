-- 0027: §6.1.4 — cofinancing not paid «в срок, установленный соглашением или договором … с
-- подрядной организацией». A planned payment may take its deadline from the contractor's contract
-- of one of the agreement's items; overdue lists and the refusal then name that contract.
ALTER TABLE agreement_payment_plan ADD COLUMN contract_id INTEGER REFERENCES contractor_contract (id);
