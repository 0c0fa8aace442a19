-- Instruments, responses, scores and the facts about a case that group reports are split by.

-- A versioned questionnaire. A version is immutable once a response uses it: a change is a new version.
CREATE TABLE outcomes.instruments (
    instrument_id  text        NOT NULL,
    version        int         NOT NULL CHECK (version > 0),
    name           text        NOT NULL,
    published_at   timestamptz NOT NULL,
    PRIMARY KEY (instrument_id, version)
);

CREATE TABLE outcomes.instrument_items (
    instrument_id   text    NOT NULL,
    version         int     NOT NULL,
    item_id         text    NOT NULL,
    position        int     NOT NULL,
    text_nb         text    NOT NULL,
    text_en         text    NOT NULL,
    -- 'scale-0-10', 'yes-no', 'count' (0..max_value) or 'text' (the free-text follow-up of a negative effect).
    scale           text    NOT NULL CHECK (scale IN ('scale-0-10', 'yes-no', 'count', 'text')),
    min_value       int     NULL,
    max_value       int     NULL,
    anchor_low      text    NULL,
    anchor_high     text    NULL,
    domain          text    NOT NULL,
    reverse_coded   boolean NOT NULL DEFAULT false,
    negative_effect boolean NOT NULL DEFAULT false,
    follow_up_of    text    NULL,
    licence         text    NOT NULL,
    PRIMARY KEY (instrument_id, version, item_id),
    FOREIGN KEY (instrument_id, version) REFERENCES outcomes.instruments (instrument_id, version),
    CHECK ((scale = 'text') = (min_value IS NULL AND max_value IS NULL)),
    CHECK (scale = 'text' OR min_value < max_value),
    CHECK (NOT reverse_coded OR scale = 'scale-0-10'),
    CHECK (follow_up_of IS NULL OR scale = 'text')
);

-- Who has answered which measurement: one response per person and measurement.
CREATE TABLE outcomes.responses (
    id                 uuid        PRIMARY KEY,
    measurement_id     uuid        NOT NULL REFERENCES outcomes.measurements (id),
    case_id            uuid        NOT NULL,
    person_id          uuid        NOT NULL,
    instrument_id      text        NOT NULL,
    version            int         NOT NULL,
    respondent_kind    text        NOT NULL CHECK (respondent_kind IN ('self', 'guardian', 'worker-with-person')),
    partial            boolean     NOT NULL,
    recorded_by        text        NOT NULL,
    recorded_by_sector text        NOT NULL,
    recorded_at        timestamptz NOT NULL,
    UNIQUE (measurement_id, person_id),
    FOREIGN KEY (instrument_id, version) REFERENCES outcomes.instruments (instrument_id, version)
);
CREATE INDEX responses_case ON outcomes.responses (case_id, recorded_at);
CREATE INDEX responses_person ON outcomes.responses (person_id, recorded_at);

CREATE TABLE outcomes.answers (
    response_id  uuid    NOT NULL REFERENCES outcomes.responses (id),
    item_id      text    NOT NULL,
    value        int     NULL,
    text         text    NULL CHECK (length(text) <= 2000),
    PRIMARY KEY (response_id, item_id),
    CHECK ((value IS NULL) <> (text IS NULL))
);

-- Domain scores as the instrument version's scoring gave them when the response was recorded.
CREATE TABLE outcomes.domain_scores (
    response_id  uuid    NOT NULL REFERENCES outcomes.responses (id),
    domain       text    NOT NULL,
    score        numeric(8,4) NOT NULL,
    PRIMARY KEY (response_id, domain)
);
CREATE INDEX domain_scores_domain ON outcomes.domain_scores (domain, response_id);

-- Immutable once used: items of a version that has responses cannot be added, changed or removed.
CREATE FUNCTION outcomes.forbid_change_of_used_instrument() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM outcomes.responses r WHERE r.instrument_id = OLD.instrument_id AND r.version = OLD.version) THEN
        RAISE EXCEPTION 'instrument % version % has responses and is immutable; publish a new version', OLD.instrument_id, OLD.version
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
        SELECT 1 FROM outcomes.responses r WHERE r.instrument_id = NEW.instrument_id AND r.version = NEW.version) THEN
        RAISE EXCEPTION 'instrument % version % has responses and is immutable; publish a new version', NEW.instrument_id, NEW.version
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER instrument_items_immutable_once_used
    BEFORE INSERT OR UPDATE OR DELETE ON outcomes.instrument_items
    FOR EACH ROW EXECUTE FUNCTION outcomes.forbid_change_of_used_instrument();
CREATE TRIGGER instruments_immutable_once_used
    BEFORE UPDATE OR DELETE ON outcomes.instruments
    FOR EACH ROW EXECUTE FUNCTION outcomes.forbid_change_of_used_instrument();

-- Schedules: follow-ups by offset, one closing per case, and a flag that MeasurementDue went out exactly once.
ALTER TABLE outcomes.measurements
    ADD COLUMN offset_months    int         NULL,
    ADD COLUMN due_announced_at timestamptz NULL,
    ADD COLUMN cancelled_at     timestamptz NULL,
    ADD CONSTRAINT measurements_follow_up_offset CHECK ((kind = 'follow-up') = (offset_months IS NOT NULL));
CREATE UNIQUE INDEX measurements_one_follow_up_per_offset ON outcomes.measurements (case_id, offset_months) WHERE kind = 'follow-up';
CREATE UNIQUE INDEX measurements_one_closing ON outcomes.measurements (case_id) WHERE kind = 'closing';
CREATE INDEX measurements_to_announce ON outcomes.measurements (due_at) WHERE due_announced_at IS NULL AND cancelled_at IS NULL;

-- What group reports are split by, learnt from other services' events.
CREATE TABLE outcomes.case_facts (
    case_id        uuid        PRIMARY KEY,
    lead_sector    text        NULL,
    lead_since     timestamptz NULL,
    activated_at   timestamptz NULL,
    closed_at      timestamptz NULL
);

CREATE TABLE outcomes.household_members (
    case_id     uuid NOT NULL,
    person_id   uuid NOT NULL,
    role        text NOT NULL,
    birth_date  date NOT NULL,
    PRIMARY KEY (case_id, person_id)
);

CREATE TABLE outcomes.disbursements_paid (
    disbursement_id uuid          PRIMARY KEY,
    case_id         uuid          NOT NULL,
    amount          numeric(14,2) NOT NULL CHECK (amount >= 0),
    paid_on         date          NOT NULL
);
CREATE INDEX disbursements_paid_case ON outcomes.disbursements_paid (case_id);
