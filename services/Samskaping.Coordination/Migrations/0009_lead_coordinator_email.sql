-- The lead coordinator's work e-mail address, as their token's email claim gave it when they took the lead, so the
-- family is told how to reach them (docs/architecture.md §8). Periods begun with a token without one have none.
ALTER TABLE coordination.lead_coordinators ADD COLUMN coordinator_email text NULL CHECK (length(coordinator_email) BETWEEN 3 AND 254);
