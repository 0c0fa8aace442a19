CREATE SCHEMA IF NOT EXISTS access;

-- Which sectors participate in which case, as told by CaseOpened / SectorJoinedCase / SectorLeftCase.
-- changed_at is the event's own time, so a late, older event never undoes a newer one.
CREATE TABLE access.case_sectors (
    case_id        uuid        NOT NULL,
    sector         text        NOT NULL,
    role           text        NOT NULL,
    participating  boolean     NOT NULL,
    changed_at     timestamptz NOT NULL,
    PRIMARY KEY (case_id, sector)
);

-- Every read or write of a person's data: who, in which role and sector, which case/person, what, why, when.
CREATE TABLE access.access_log (
    id              uuid        PRIMARY KEY,
    at              timestamptz NOT NULL,
    subject         text        NOT NULL,
    role            text        NOT NULL,
    sector          text        NOT NULL,
    case_id         uuid        NULL,
    person_id       uuid        NULL,
    action          text        NOT NULL,
    purpose         text        NULL,
    correlation_id  text        NULL
);

CREATE INDEX access_log_case ON access.access_log (case_id, at DESC);
CREATE INDEX access_log_person ON access.access_log (person_id, at DESC) WHERE person_id IS NOT NULL;

-- Append-only, enforced by the database: an audit trail that can be edited proves nothing.
CREATE FUNCTION access.reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access.access_log is append-only';
END;
$$;

CREATE TRIGGER access_log_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON access.access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access.reject_change();
