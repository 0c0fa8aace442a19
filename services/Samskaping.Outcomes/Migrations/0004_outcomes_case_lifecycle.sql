-- A case's closings and reopenings as cases announced them. Kept whole, so the measurement schedule follows the
-- lifecycle whatever order the events arrive in: a follow-up falling while the case is closed is cancelled, and
-- one a reopen puts in an open period again is due again.
CREATE TABLE outcomes.case_lifecycle (
    case_id     uuid        NOT NULL,
    changed_at  timestamptz NOT NULL,
    closed      boolean     NOT NULL,
    PRIMARY KEY (case_id, changed_at)
);
INSERT INTO outcomes.case_lifecycle (case_id, changed_at, closed)
SELECT case_id, closed_at, true FROM outcomes.case_facts WHERE closed_at IS NOT NULL;
