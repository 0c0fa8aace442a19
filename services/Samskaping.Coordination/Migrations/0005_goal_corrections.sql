-- When a goal's text was last corrected in cases: GoalAgreed arriving after GoalCorrected keeps the corrected text
-- (it inserts nothing over an existing goal), and of two corrections the later one wins whatever order they arrive in.
ALTER TABLE coordination.goals ADD COLUMN text_corrected_at timestamptz NULL;
