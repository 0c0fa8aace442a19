CREATE SCHEMA IF NOT EXISTS grants;

-- The cases money may be granted to, as cases announced them. A grant request names one of these.
CREATE TABLE grants.cases (
    case_id           uuid        PRIMARY KEY,
    opened_by_sector  text        NOT NULL,
    opened_at         timestamptz NOT NULL,
    recorded_at       timestamptz NOT NULL
);
