-- The lead coordinator's display name, as their token's name claim gave it when they took the lead (opening the case,
-- or accepting a handover), so the family can be told who their lead coordinator is (docs/architecture.md §8). The
-- subject stays the identifier; periods that began before this column, or with a token without a name, have none.
ALTER TABLE coordination.lead_coordinators ADD COLUMN coordinator_name text NULL CHECK (length(coordinator_name) BETWEEN 1 AND 200);
