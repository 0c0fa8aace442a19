-- The case's opening sector, from CaseOpened: before any consent exists it is the only sector that may work on
-- the case (it records the consent at intake).
CREATE TABLE access.case_openings (
    case_id     uuid        PRIMARY KEY,
    sector      text        NOT NULL,
    opened_at   timestamptz NOT NULL
);

-- Consents as told by cases' ConsentGiven / ConsentWithdrawn. A withdrawal may arrive before its consent
-- (redelivery order is not guaranteed), so both upsert and neither overwrites the other's columns.
CREATE TABLE access.case_consents (
    consent_id    uuid        PRIMARY KEY,
    case_id       uuid        NOT NULL,
    person_id     uuid        NOT NULL,
    sectors       text[]      NOT NULL DEFAULT '{}',
    purposes      text[]      NOT NULL DEFAULT '{}',
    valid_from    timestamptz NULL,
    valid_to      timestamptz NULL,
    withdrawn_at  timestamptz NULL
);

CREATE INDEX case_consents_case ON access.case_consents (case_id);

-- The current lead coordinator of a case, from coordination's CoordinatorAssigned (the newest assignment wins).
CREATE TABLE access.case_leads (
    case_id      uuid        PRIMARY KEY,
    coordinator  text        NOT NULL,
    sector       text        NOT NULL,
    assigned_at  timestamptz NOT NULL
);
