CREATE SCHEMA IF NOT EXISTS benefits;

-- Cases as the status feed will report them: received_at becomes the feed's first event, soknadsStatus MOTTATT.
CREATE TABLE benefits.cases (
    case_id      uuid        PRIMARY KEY,
    received_at  timestamptz NOT NULL,
    recorded_at  timestamptz NOT NULL
);
