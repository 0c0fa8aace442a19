-- Coordination follows the case's lifecycle both ways: closed_at is set while the case is closed and cleared when
-- it is reopened. status_changed_at is the time of the newest change applied, so an older one arriving late (a
-- CaseClosed after the reopen that followed it) does not close the group again.
ALTER TABLE coordination.groups ADD COLUMN status_changed_at timestamptz NULL;
UPDATE coordination.groups SET status_changed_at = closed_at WHERE closed_at IS NOT NULL;
