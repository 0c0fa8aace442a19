-- The Digisos status feed: the cases' and grants' events it is built from, and per case the current document and
-- how far its delivery to the benefit system has come.

-- Every event the feed is built from, as received (events may arrive in any order; the document is rebuilt from
-- all of them on every change). The body is the event as published; disbursement bodies hold the payee's name and
-- account number, which the document must carry.
CREATE TABLE benefits.feed_facts (
    case_id      uuid        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN (
                     'case-opened', 'case-status-changed', 'case-closed',
                     'grant-requested', 'grant-approved', 'grant-declined',
                     'disbursement-planned', 'disbursement-paid', 'disbursement-stopped', 'disbursement-cancelled')),
    subject_id   uuid        NOT NULL,  -- the case, grant or disbursement the event is about
    occurred_at  timestamptz NOT NULL,
    body         jsonb       NOT NULL,
    recorded_at  timestamptz NOT NULL,
    PRIMARY KEY (case_id, kind, subject_id, occurred_at)
);

-- One feed per case that has a grant from a fund reported to the benefit system.
CREATE TABLE benefits.feeds (
    case_id            uuid        PRIMARY KEY,
    version            integer     NOT NULL CHECK (version >= 1),
    document           jsonb       NOT NULL,
    events             integer     NOT NULL CHECK (events >= 1),
    state              text        NOT NULL CHECK (state IN ('pending', 'waiting-for-applicant', 'delivered', 'invalid', 'refused')),
    validation_errors  jsonb       NULL,
    digisos_id         text        NULL,
    delivered_version  integer     NULL,
    delivered_at       timestamptz NULL,
    attempts           integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at    timestamptz NOT NULL,
    last_error         text        NULL,
    leased_until       timestamptz NULL,
    changed_at         timestamptz NOT NULL,
    -- A delivered version is one we built; an invalid document carries its errors, a valid one none.
    CONSTRAINT feeds_delivered_version CHECK (delivered_version IS NULL OR delivered_version BETWEEN 1 AND version),
    CONSTRAINT feeds_invalid_has_errors CHECK ((state = 'invalid') = (validation_errors IS NOT NULL)),
    CONSTRAINT feeds_delivered_is_current CHECK (state <> 'delivered' OR delivered_version = version)
);

-- What the delivery worker looks for: feeds with something to send, soonest first.
CREATE INDEX feeds_due ON benefits.feeds (next_attempt_at) WHERE state IN ('pending', 'waiting-for-applicant');
