CREATE SCHEMA IF NOT EXISTS cases;

-- sak: a family's case. The household name is what the family wants to be called.
CREATE TABLE cases.cases (
    id                uuid        PRIMARY KEY,
    household_name    text        NOT NULL CHECK (char_length(household_name) BETWEEN 1 AND 200),
    status            text        NOT NULL CHECK (status IN ('referred', 'intake', 'active', 'closing', 'closed')),
    opened_by         text        NOT NULL,
    opened_by_sector  text        NOT NULL,
    opened_at         timestamptz NOT NULL
);

CREATE INDEX cases_opened_by_sector ON cases.cases (opened_by_sector, opened_at DESC, id);

-- behov: the needs as the family itself describes them. The first thing a case records.
CREATE TABLE cases.needs (
    id           uuid        PRIMARY KEY,
    case_id      uuid        NOT NULL REFERENCES cases.cases (id),
    text         text        NOT NULL CHECK (char_length(text) BETWEEN 1 AND 4000),
    said_by      text        NULL CHECK (said_by IS NULL OR char_length(said_by) BETWEEN 1 AND 200),
    recorded_by  text        NOT NULL,
    recorded_at  timestamptz NOT NULL
);

CREATE INDEX needs_case ON cases.needs (case_id, recorded_at);
