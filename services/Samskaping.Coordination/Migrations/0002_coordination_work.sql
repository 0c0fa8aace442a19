-- The sector registry. Codes are lowercase kebab case; the five of the municipal model are there from the start.
CREATE TABLE coordination.sectors (
    code      text        PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' AND length(code) <= 40),
    name      text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    added_by  text        NOT NULL,
    added_at  timestamptz NOT NULL
);

INSERT INTO coordination.sectors (code, name, added_by, added_at) VALUES
    ('oppvekst', 'Oppvekst', 'system', now()),
    ('helse-velferd', 'Helse og velferd', 'system', now()),
    ('kultur', 'Kultur', 'system', now()),
    ('nav', 'NAV', 'system', now()),
    ('frivillighet', 'Frivillighet', 'system', now());

-- A case that is closed takes no more coordination work; its history stays readable.
ALTER TABLE coordination.groups ADD COLUMN closed_at timestamptz NULL;

-- Sectors that have left a group (by choice or because consent no longer covers them): the group's history.
CREATE TABLE coordination.sector_departures (
    id         uuid        PRIMARY KEY,
    case_id    uuid        NOT NULL REFERENCES coordination.groups (case_id),
    sector     text        NOT NULL,
    role       text        NOT NULL,
    joined_at  timestamptz NOT NULL,
    left_at    timestamptz NOT NULL,
    reason     text        NOT NULL
);

-- A request to take over as lead coordinator. Until the receiver accepts, the current lead stays responsible.
-- One open request per case at a time, held by the database.
CREATE TABLE coordination.handovers (
    id               uuid        PRIMARY KEY,
    case_id          uuid        NOT NULL REFERENCES coordination.groups (case_id),
    from_coordinator text        NOT NULL,
    from_sector      text        NOT NULL,
    to_coordinator   text        NOT NULL,
    to_sector        text        NOT NULL,
    note             text        NULL,
    requested_at     timestamptz NOT NULL,
    status           text        NOT NULL CHECK (status IN ('requested', 'accepted', 'declined', 'cancelled')),
    decided_by       text        NULL,
    decided_at       timestamptz NULL,
    reason           text        NULL,
    CHECK ((status = 'requested') = (decided_at IS NULL)),
    CHECK (status <> 'declined' OR reason IS NOT NULL),
    CHECK (to_coordinator <> from_coordinator)
);

CREATE UNIQUE INDEX handovers_one_open ON coordination.handovers (case_id) WHERE status = 'requested';
CREATE INDEX handovers_to ON coordination.handovers (to_coordinator) WHERE status = 'requested';

-- stafettlogg: the relay log. Append-only; a correction is a new entry pointing to the entry it corrects,
-- which must belong to the same case.
CREATE TABLE coordination.relay_log (
    id               uuid        PRIMARY KEY,
    case_id          uuid        NOT NULL REFERENCES coordination.groups (case_id),
    type             text        NOT NULL CHECK (type IN ('meeting', 'decision', 'measure-started', 'measure-ended', 'evaluation', 'handover', 'note')),
    author           text        NOT NULL,
    author_sector    text        NULL,
    at               timestamptz NOT NULL,
    confidentiality  text        NOT NULL CHECK (confidentiality IN ('ordinary', 'professional-secrecy', 'restricted')),
    text             text        NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
    corrects         uuid        NULL,
    UNIQUE (case_id, id),
    FOREIGN KEY (case_id, corrects) REFERENCES coordination.relay_log (case_id, id),
    -- Only entries the system writes itself have no sector.
    CHECK (author_sector IS NOT NULL OR author = 'system')
);

CREATE INDEX relay_log_case ON coordination.relay_log (case_id, at, id);

CREATE FUNCTION coordination.reject_relay_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'coordination.relay_log is append-only: write a correction instead'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER relay_log_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON coordination.relay_log
    FOR EACH STATEMENT EXECUTE FUNCTION coordination.reject_relay_log_change();

-- The action plan. Goals come from cases' GoalAgreed (in the family's own words).
CREATE TABLE coordination.goals (
    id           uuid        PRIMARY KEY,
    case_id      uuid        NOT NULL,
    text         text        NOT NULL,
    proposed_by  text        NOT NULL,
    agreed_by    text        NOT NULL,
    agreed_at    timestamptz NOT NULL
);

CREATE INDEX goals_case ON coordination.goals (case_id);

-- tiltak: measures with a responsible sector, a period and the next review date.
CREATE TABLE coordination.measures (
    id                  uuid        PRIMARY KEY,
    case_id             uuid        NOT NULL REFERENCES coordination.groups (case_id),
    goal_id             uuid        NULL REFERENCES coordination.goals (id),
    title               text        NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    responsible_sector  text        NOT NULL REFERENCES coordination.sectors (code),
    starts_on           date        NOT NULL,
    ends_on             date        NULL CHECK (ends_on IS NULL OR ends_on >= starts_on),
    next_review_on      date        NOT NULL,
    agreed_by           text        NOT NULL,
    agreed_at           timestamptz NOT NULL,
    completed_by        text        NULL,
    completed_at        timestamptz NULL,
    CHECK ((completed_by IS NULL) = (completed_at IS NULL))
);

CREATE INDEX measures_case ON coordination.measures (case_id);
CREATE INDEX measures_open_review ON coordination.measures (next_review_on) WHERE completed_at IS NULL;

-- "Did it help?" — with the family's own words.
CREATE TABLE coordination.evaluations (
    id              uuid        PRIMARY KEY,
    measure_id      uuid        NOT NULL REFERENCES coordination.measures (id),
    helped          text        NOT NULL CHECK (helped IN ('yes', 'no', 'partly')),
    family_words    text        NULL,
    note            text        NULL,
    evaluated_by    text        NOT NULL,
    evaluated_sector text       NOT NULL,
    evaluated_at    timestamptz NOT NULL
);

CREATE INDEX evaluations_measure ON coordination.evaluations (measure_id, evaluated_at);

-- A review date that passed without an evaluation, found by the review scheduler. One row per measure and due
-- date: the flag is set, and ReviewOverdue published, exactly once even with several replicas scanning.
CREATE TABLE coordination.overdue_reviews (
    measure_id          uuid        NOT NULL REFERENCES coordination.measures (id),
    due_on              date        NOT NULL,
    case_id             uuid        NOT NULL,
    responsible_sector  text        NOT NULL,
    detected_at         timestamptz NOT NULL,
    PRIMARY KEY (measure_id, due_on)
);

-- BTI level (0-3) of the case, with its history; the newest row is the current level.
CREATE TABLE coordination.bti_levels (
    id          uuid        PRIMARY KEY,
    case_id     uuid        NOT NULL REFERENCES coordination.groups (case_id),
    level       smallint    NOT NULL CHECK (level BETWEEN 0 AND 3),
    reason      text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    set_by      text        NOT NULL,
    set_sector  text        NOT NULL,
    set_at      timestamptz NOT NULL
);

CREATE INDEX bti_levels_case ON coordination.bti_levels (case_id, set_at);

-- Work for the lead coordinator that something outside asked for (today: a negative effect reported by outcomes).
CREATE TABLE coordination.tasks (
    id           uuid        PRIMARY KEY,
    case_id      uuid        NOT NULL REFERENCES coordination.groups (case_id),
    kind         text        NOT NULL CHECK (kind IN ('negative-effect')),
    title        text        NOT NULL,
    assigned_to  text        NOT NULL,
    created_at   timestamptz NOT NULL,
    done_by      text        NULL,
    done_at      timestamptz NULL,
    CHECK ((done_by IS NULL) = (done_at IS NULL))
);

CREATE INDEX tasks_open ON coordination.tasks (case_id) WHERE done_at IS NULL;
