-- When a member's role or birth date was last corrected in cases: a correction (HouseholdMemberCorrected) may arrive
-- before the member's HouseholdMemberAdded, which must then not put the old values back, and of two corrections the
-- later one wins whatever order they arrive in.
ALTER TABLE outcomes.household_members ADD COLUMN corrected_at timestamptz NULL;
