CREATE SCHEMA IF NOT EXISTS coordination;

-- The coordination group of a case: who works on it together.
CREATE TABLE coordination.groups (
    case_id     uuid        PRIMARY KEY,
    created_at  timestamptz NOT NULL
);

CREATE TABLE coordination.group_sectors (
    case_id    uuid        NOT NULL REFERENCES coordination.groups (case_id),
    sector     text        NOT NULL,
    role       text        NOT NULL CHECK (role IN ('lead', 'contributor')),
    joined_at  timestamptz NOT NULL,
    PRIMARY KEY (case_id, sector)
);

-- stafettholder: who has been lead coordinator, and when. Exactly one current lead per case, held by the
-- database itself: a second open row for the same case violates the unique index.
CREATE TABLE coordination.lead_coordinators (
    id           uuid        PRIMARY KEY,
    case_id      uuid        NOT NULL REFERENCES coordination.groups (case_id),
    coordinator  text        NOT NULL,
    sector       text        NOT NULL,
    since        timestamptz NOT NULL,
    until        timestamptz NULL CHECK (until IS NULL OR until >= since)
);

CREATE UNIQUE INDEX lead_coordinators_one_current ON coordination.lead_coordinators (case_id) WHERE until IS NULL;
