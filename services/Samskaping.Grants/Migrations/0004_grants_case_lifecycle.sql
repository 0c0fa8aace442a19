-- Grants follows the case's lifecycle both ways: closed_at is set while the case is closed and cleared when it is
-- reopened. status_changed_at is the time of the newest change applied, so an older one arriving late (a CaseClosed
-- after the reopen that followed it) changes nothing.
ALTER TABLE grants.cases ADD COLUMN status_changed_at timestamptz NULL;
UPDATE grants.cases SET status_changed_at = closed_at WHERE closed_at IS NOT NULL;
