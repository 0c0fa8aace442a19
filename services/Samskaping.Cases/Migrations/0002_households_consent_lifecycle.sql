-- husstand: the family as it describes itself. A person may belong to more than one (separated parents).
CREATE TABLE cases.households (
    id           uuid        PRIMARY KEY,
    name         text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    -- lower-cased by the service (culture-invariant, so Æ/Ø/Å fold like any letter) for search
    name_search  text        NOT NULL,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL
);

-- Cases opened before households existed get a household of their own, under the case's id.
INSERT INTO cases.households (id, name, name_search, created_by, created_at)
SELECT id, household_name, lower(household_name), opened_by, opened_at FROM cases.cases;

ALTER TABLE cases.cases
    ADD COLUMN household_id     uuid NULL REFERENCES cases.households (id),
    ADD COLUMN referral_source  text NULL CHECK (referral_source IS NULL OR referral_source IN ('self', 'oppvekst', 'helse-velferd', 'kultur', 'nav', 'frivillighet')),
    ADD COLUMN referral_reason  text NULL CHECK (referral_reason IS NULL OR char_length(referral_reason) BETWEEN 1 AND 2000),
    ADD COLUMN status_changed_at timestamptz NULL;
UPDATE cases.cases SET household_id = id;
ALTER TABLE cases.cases ALTER COLUMN household_id SET NOT NULL;

CREATE INDEX cases_household ON cases.cases (household_id);
CREATE INDEX cases_opened ON cases.cases (opened_at DESC, id DESC);

-- The lifecycle, enforced by the database too: referred → intake → active → closing → closed, and reopen.
CREATE TABLE cases.status_transitions (
    from_status text NOT NULL,
    to_status   text NOT NULL,
    PRIMARY KEY (from_status, to_status)
);
INSERT INTO cases.status_transitions (from_status, to_status) VALUES
    ('referred', 'intake'), ('referred', 'closed'),
    ('intake', 'active'), ('intake', 'closed'),
    ('active', 'closing'),
    ('closing', 'closed'), ('closing', 'active'),
    ('closed', 'intake'), ('closed', 'active');

CREATE FUNCTION cases.check_status_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> OLD.status AND NOT EXISTS (
        SELECT 1 FROM cases.status_transitions WHERE from_status = OLD.status AND to_status = NEW.status) THEN
        RAISE EXCEPTION 'illegal case status transition % -> %', OLD.status, NEW.status USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER cases_status_transition BEFORE UPDATE OF status ON cases.cases
    FOR EACH ROW EXECUTE FUNCTION cases.check_status_transition();

-- Every move with its reason: the case's lifecycle history.
CREATE TABLE cases.status_changes (
    id           uuid        PRIMARY KEY,
    case_id      uuid        NOT NULL REFERENCES cases.cases (id),
    from_status  text        NOT NULL,
    to_status    text        NOT NULL,
    reason       text        NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 2000),
    changed_by   text        NOT NULL,
    changed_at   timestamptz NOT NULL,
    FOREIGN KEY (from_status, to_status) REFERENCES cases.status_transitions (from_status, to_status)
);
CREATE INDEX status_changes_case ON cases.status_changes (case_id, changed_at);

-- A person, known across households. The identity number is stored only encrypted; lookup_hash is an HMAC of it
-- under a separate key, unique, so the same person is never registered twice and can be found without decrypting.
CREATE TABLE cases.persons (
    id                        uuid        PRIMARY KEY,
    name                      text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    name_search               text        NOT NULL,
    birth_date                date        NOT NULL,
    identity_number_encrypted bytea       NULL,
    identity_number_lookup    bytea       NULL,
    created_by                text        NOT NULL,
    created_at                timestamptz NOT NULL,
    CHECK ((identity_number_encrypted IS NULL) = (identity_number_lookup IS NULL))
);
CREATE UNIQUE INDEX persons_identity_number_lookup ON cases.persons (identity_number_lookup) WHERE identity_number_lookup IS NOT NULL;

CREATE TABLE cases.household_members (
    household_id  uuid        NOT NULL REFERENCES cases.households (id),
    person_id     uuid        NOT NULL REFERENCES cases.persons (id),
    role          text        NOT NULL CHECK (role IN ('guardian', 'parent', 'child', 'youth', 'other-adult')),
    added_by      text        NOT NULL,
    added_at      timestamptz NOT NULL,
    PRIMARY KEY (household_id, person_id)
);
CREATE INDEX household_members_person ON cases.household_members (person_id);

-- foreldreansvar: who is the guardian of which child, within a household.
CREATE TABLE cases.guardianships (
    household_id  uuid NOT NULL,
    guardian_id   uuid NOT NULL,
    child_id      uuid NOT NULL,
    PRIMARY KEY (household_id, guardian_id, child_id),
    CHECK (guardian_id <> child_id),
    FOREIGN KEY (household_id, guardian_id) REFERENCES cases.household_members (household_id, person_id),
    FOREIGN KEY (household_id, child_id) REFERENCES cases.household_members (household_id, person_id)
);

-- ressurser: what the family itself brings, in its own words.
CREATE TABLE cases.resources (
    id           uuid        PRIMARY KEY,
    case_id      uuid        NOT NULL REFERENCES cases.cases (id),
    text         text        NOT NULL CHECK (char_length(text) BETWEEN 1 AND 4000),
    said_by      text        NULL CHECK (said_by IS NULL OR char_length(said_by) BETWEEN 1 AND 200),
    recorded_by  text        NOT NULL,
    recorded_at  timestamptz NOT NULL
);
CREATE INDEX resources_case ON cases.resources (case_id, recorded_at);

-- mål: goals agreed with the family.
CREATE TABLE cases.goals (
    id           uuid        PRIMARY KEY,
    case_id      uuid        NOT NULL REFERENCES cases.cases (id),
    text         text        NOT NULL CHECK (char_length(text) BETWEEN 1 AND 2000),
    proposed_by  text        NOT NULL CHECK (proposed_by IN ('family', 'oppvekst', 'helse-velferd', 'kultur', 'nav', 'frivillighet')),
    status       text        NOT NULL CHECK (status IN ('agreed', 'achieved', 'abandoned')),
    agreed_by    text        NOT NULL,
    agreed_at    timestamptz NOT NULL,
    status_changed_at timestamptz NULL
);
CREATE INDEX goals_case ON cases.goals (case_id, agreed_at);

-- samtykke. Never edited: the only change a row may take is its one withdrawal (enforced below).
CREATE TABLE cases.consents (
    id                  uuid        PRIMARY KEY,
    case_id             uuid        NOT NULL REFERENCES cases.cases (id),
    person_id           uuid        NOT NULL REFERENCES cases.persons (id),
    given_by_person_id  uuid        NOT NULL REFERENCES cases.persons (id),
    sectors             text[]      NOT NULL CHECK (cardinality(sectors) > 0),
    purposes            text[]      NOT NULL CHECK (cardinality(purposes) > 0),
    data_categories     text[]      NOT NULL CHECK (cardinality(data_categories) > 0),
    valid_from          timestamptz NOT NULL,
    valid_to            timestamptz NULL CHECK (valid_to IS NULL OR valid_to > valid_from),
    recorded_by         text        NOT NULL,
    recorded_at         timestamptz NOT NULL,
    withdrawn_at        timestamptz NULL,
    withdrawn_by        text        NULL,
    withdrawal_reason   text        NULL CHECK (withdrawal_reason IS NULL OR char_length(withdrawal_reason) BETWEEN 1 AND 2000),
    CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL) AND (withdrawn_at IS NULL) = (withdrawal_reason IS NULL))
);
CREATE INDEX consents_case ON cases.consents (case_id, recorded_at);

CREATE FUNCTION cases.consent_never_edited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a consent is never deleted; withdraw it' USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.withdrawn_at IS NOT NULL
       OR (NEW.id, NEW.case_id, NEW.person_id, NEW.given_by_person_id, NEW.sectors, NEW.purposes, NEW.data_categories,
           NEW.valid_from, NEW.valid_to, NEW.recorded_by, NEW.recorded_at)
          IS DISTINCT FROM
          (OLD.id, OLD.case_id, OLD.person_id, OLD.given_by_person_id, OLD.sectors, OLD.purposes, OLD.data_categories,
           OLD.valid_from, OLD.valid_to, OLD.recorded_by, OLD.recorded_at) THEN
        RAISE EXCEPTION 'a consent is never edited; withdraw it and record a new one' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER consents_never_edited BEFORE UPDATE OR DELETE ON cases.consents
    FOR EACH ROW EXECUTE FUNCTION cases.consent_never_edited();

-- What happened to the case across services, built from events; event_id makes a redelivery a no-op.
CREATE TABLE cases.timeline (
    id           uuid        PRIMARY KEY,
    case_id      uuid        NOT NULL,
    event_id     uuid        NOT NULL UNIQUE,
    kind         text        NOT NULL,
    summary      text        NOT NULL,
    source       text        NOT NULL,
    occurred_at  timestamptz NOT NULL
);
CREATE INDEX timeline_case ON cases.timeline (case_id, occurred_at DESC, id DESC);
