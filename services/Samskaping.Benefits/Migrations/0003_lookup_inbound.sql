-- Which household each case is about, from CaseOpened.HouseholdId: a worker may look up a household's benefits
-- when they may see at least one of its cases. Null for cases opened before households existed.
ALTER TABLE benefits.cases ADD COLUMN household_id uuid NULL;

CREATE INDEX cases_household ON benefits.cases (household_id) WHERE household_id IS NOT NULL;

-- Notifications from the benefit system, accepted once per (issuer, event id). The identity number is never
-- stored: fingerprint is an HMAC of the whole notification (so a replay can be told from a different body with
-- the same id), and answer is what the sender was told the first time, given again on a replay.
CREATE TABLE benefits.inbound_events (
    issuer          text        NOT NULL CHECK (length(issuer) BETWEEN 1 AND 200),
    event_id        text        NOT NULL CHECK (length(event_id) BETWEEN 1 AND 200),
    fingerprint     bytea       NOT NULL CHECK (length(fingerprint) = 32),
    benefit         text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('granted', 'changed', 'stopped')),
    occurred_at     timestamptz NOT NULL,
    received_at     timestamptz NOT NULL,
    cases_notified  integer     NOT NULL CHECK (cases_notified >= 0),
    answer          jsonb       NOT NULL,
    PRIMARY KEY (issuer, event_id)
);

-- A record of what the benefit system told us is evidence: append-only.
CREATE FUNCTION benefits.reject_inbound_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'benefits.inbound_events is append-only'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER inbound_events_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON benefits.inbound_events
    FOR EACH STATEMENT EXECUTE FUNCTION benefits.reject_inbound_change();
