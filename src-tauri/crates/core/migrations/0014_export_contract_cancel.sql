-- Export contracts are cancelled, not deleted (issue 14): a contract a report may have counted
-- stays, with who cancelled it, when and why; lists show it struck out, and reports, KPIs, the
-- traces behind them, reminders and the §6.1.5 history leave it out.
ALTER TABLE export_contract ADD COLUMN cancelled_at TEXT;
ALTER TABLE export_contract ADD COLUMN cancelled_by TEXT NOT NULL DEFAULT '';
ALTER TABLE export_contract ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
