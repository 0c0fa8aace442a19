CREATE SCHEMA IF NOT EXISTS outcomes;

-- When a case's quality-of-life measurements are due: a baseline first, follow-ups and a closing one later.
CREATE TABLE outcomes.measurements (
    id            uuid        PRIMARY KEY,
    case_id       uuid        NOT NULL,
    kind          text        NOT NULL CHECK (kind IN ('baseline', 'follow-up', 'closing')),
    due_at        timestamptz NOT NULL,
    scheduled_at  timestamptz NOT NULL,
    completed_at  timestamptz NULL
);

-- One baseline per case, whatever happens to the events that schedule it.
CREATE UNIQUE INDEX measurements_one_baseline ON outcomes.measurements (case_id) WHERE kind = 'baseline';
CREATE INDEX measurements_case ON outcomes.measurements (case_id, due_at);
