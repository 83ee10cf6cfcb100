-- Indexes for the budget usage the cofinancing engine reads on every signature: the acts signed
-- in a year and the agreements of a year. Without them each signature scanned every act and
-- agreement ever made, so signing slowed down with every year of history.
CREATE INDEX act_signed_on ON act (signed_on) WHERE signed_on IS NOT NULL;
CREATE INDEX agreement_date ON agreement (date);
