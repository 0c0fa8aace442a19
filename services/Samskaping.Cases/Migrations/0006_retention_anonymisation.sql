-- Retention and anonymisation (GDPR art. 5(1)(e) and 17; docs/privacy.md). A closed case past the municipality's
-- retention period, or a case the privacy officer erases as opened by mistake, loses its personal data here through
-- cases.anonymise_case alone. The append-only and never-edited triggers let a change through only while that
-- function runs (samskaping.anonymising set for its transaction): that guards against the service's own code paths,
-- not against the database owner, who could disable the triggers anyway.

-- When the case's personal data was removed; an anonymised case is never reopened or written to again.
ALTER TABLE cases.cases ADD COLUMN anonymised_at timestamptz NULL;

-- The audit row of every anonymisation (the same shape in all five services). Its reason is the privacy officer's
-- plain words or the sweep's, never personal data.
CREATE TABLE cases.anonymisations (
    anonymisation_id uuid        PRIMARY KEY,
    case_id          uuid        NOT NULL,
    ground           text        NOT NULL CHECK (ground IN ('retention-expired', 'opened-by-mistake')),
    reason           text        NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 2000),
    ordered_by       text        NOT NULL,
    rows_anonymised  integer     NOT NULL,
    anonymised_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX anonymisations_case ON cases.anonymisations (case_id);

-- What cases ordered (one order per case) and which services have answered CaseAnonymisedInService, cases included.
CREATE TABLE cases.anonymisation_orders (
    case_id          uuid        PRIMARY KEY REFERENCES cases.cases (id),
    anonymisation_id uuid        NOT NULL UNIQUE,
    ground           text        NOT NULL CHECK (ground IN ('retention-expired', 'opened-by-mistake')),
    reason           text        NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 2000),
    ordered_by       text        NOT NULL,
    ordered_at       timestamptz NOT NULL
);
CREATE TABLE cases.anonymisation_answers (
    case_id          uuid        NOT NULL REFERENCES cases.cases (id),
    service          text        NOT NULL CHECK (service IN ('cases', 'coordination', 'grants', 'outcomes', 'benefits')),
    anonymisation_id uuid        NOT NULL,
    rows_anonymised  integer     NOT NULL,
    anonymised_at    timestamptz NOT NULL,
    PRIMARY KEY (case_id, service)
);

-- Legal hold (rettslig tilbakehold): while a hold is not lifted the case is never swept. Each hold and its lifting
-- is kept, with who and why.
CREATE TABLE cases.legal_holds (
    id           uuid        PRIMARY KEY,
    case_id      uuid        NOT NULL REFERENCES cases.cases (id),
    reason       text        NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 2000),
    placed_by    text        NOT NULL,
    placed_at    timestamptz NOT NULL,
    lifted_by    text        NULL,
    lifted_at    timestamptz NULL,
    lift_reason  text        NULL CHECK (lift_reason IS NULL OR char_length(lift_reason) BETWEEN 1 AND 2000)
);
CREATE UNIQUE INDEX legal_holds_one_active ON cases.legal_holds (case_id) WHERE lifted_at IS NULL;

-- The sweep's scan: closed cases by when they closed.
CREATE INDEX cases_closed_unanonymised ON cases.cases (status_changed_at) WHERE status = 'closed' AND anonymised_at IS NULL;

CREATE FUNCTION cases.anonymising() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('samskaping.anonymising', true), '') <> '';
$$;

CREATE OR REPLACE FUNCTION cases.reject_correction_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND cases.anonymising() THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'cases.corrections is append-only: % is not allowed (record a new correction instead)', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE OR REPLACE FUNCTION cases.consent_never_edited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND cases.anonymising() THEN
        RETURN NEW;
    END IF;
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

-- An anonymised case keeps its last status for good; and nothing of it is changed outside the function.
CREATE FUNCTION cases.anonymised_case_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.anonymised_at IS NOT NULL AND NOT cases.anonymising() THEN
        RAISE EXCEPTION 'case % is anonymised and cannot be changed', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER cases_anonymised_final BEFORE UPDATE ON cases.cases
    FOR EACH ROW EXECUTE FUNCTION cases.anonymised_case_is_final();

CREATE FUNCTION cases.anonymise_case(p_case_id uuid, p_anonymisation_id uuid, p_ground text, p_reason text, p_ordered_by text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    marker constant text := 'anonymisert';
    v_household uuid;
    v_rows integer := 0;
    n integer;
BEGIN
    IF EXISTS (SELECT 1 FROM cases.anonymisations WHERE anonymisation_id = p_anonymisation_id) THEN
        RETURN 0;
    END IF;
    SELECT household_id INTO v_household FROM cases.cases WHERE id = p_case_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'case % not found', p_case_id USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM set_config('samskaping.anonymising', p_anonymisation_id::text, true);

    UPDATE cases.cases SET household_name = marker, referral_reason = NULL, anonymised_at = now() WHERE id = p_case_id;
    GET DIAGNOSTICS n = ROW_COUNT; v_rows := v_rows + n;
    UPDATE cases.needs SET text = marker, said_by = NULL WHERE case_id = p_case_id AND (text <> marker OR said_by IS NOT NULL);
    GET DIAGNOSTICS n = ROW_COUNT; v_rows := v_rows + n;
    UPDATE cases.resources SET text = marker, said_by = NULL WHERE case_id = p_case_id AND (text <> marker OR said_by IS NOT NULL);
    GET DIAGNOSTICS n = ROW_COUNT; v_rows := v_rows + n;
    UPDATE cases.goals SET text = marker WHERE case_id = p_case_id AND text <> marker;
    GET DIAGNOSTICS n = ROW_COUNT; v_rows := v_rows + n;
    UPDATE cases.status_changes SET reason = marker WHERE case_id = p_case_id AND reason <> marker;
    GET DIAGNOSTICS n = ROW_COUNT; v_rows := v_rows + n;
    UPDATE cases.consents SET withdrawal_reason = marker WHERE case_id = p_case_id AND withdrawal_reason IS NOT NULL AND withdrawal_reason <> marker;
    GET DIAGNOSTICS n = ROW_COUNT; v_rows := v_rows + n;
    UPDATE cases.corrections SET previous_value = NULL, new_value = NULL, previous_identity_number = NULL, reason = marker
    WHERE case_id = p_case_id AND (previous_value IS NOT NULL OR new_value IS NOT NULL OR previous_identity_number IS NOT NULL OR reason <> marker);
    GET DIAGNOSTICS n = ROW_COUNT; v_rows := v_rows + n;
    -- The published copies of the case's own events (a goal's text, a member's role) are message copies of personal
    -- data; the unpublished ones stay until the relay has sent them.
    DELETE FROM messaging.outbox WHERE case_id = p_case_id AND published_at IS NOT NULL;
    GET DIAGNOSTICS n = ROW_COUNT; v_rows := v_rows + n;

    -- The household and its members' records are one record for all the household's cases: they are anonymised
    -- with the last of its cases, never while another case of the household still needs them.
    IF NOT EXISTS (SELECT 1 FROM cases.cases WHERE household_id = v_household AND id <> p_case_id AND anonymised_at IS NULL) THEN
        UPDATE cases.households SET name = marker, name_search = marker WHERE id = v_household AND name <> marker;
        GET DIAGNOSTICS n = ROW_COUNT; v_rows := v_rows + n;
        UPDATE cases.corrections SET previous_value = NULL, new_value = NULL, previous_identity_number = NULL, reason = marker
        WHERE household_id = v_household AND (previous_value IS NOT NULL OR new_value IS NOT NULL OR previous_identity_number IS NOT NULL OR reason <> marker);
        GET DIAGNOSTICS n = ROW_COUNT; v_rows := v_rows + n;
        -- A member's record: the name, the number (sealed box and keyed hash; the membership's hash follows through
        -- ON UPDATE CASCADE) and the birth date coarsened to its year, which the statistics by age group keep.
        UPDATE cases.persons p SET name = marker, name_search = marker, identity_number_encrypted = NULL, identity_number_lookup = NULL,
            birth_date = make_date(extract(year FROM p.birth_date)::integer, 1, 1)
        WHERE p.id IN (SELECT person_id FROM cases.household_members WHERE household_id = v_household)
          AND NOT EXISTS (SELECT 1 FROM cases.household_members o JOIN cases.cases c ON c.household_id = o.household_id
                          WHERE o.person_id = p.id AND o.household_id <> v_household AND c.anonymised_at IS NULL)
          AND (p.name <> marker OR p.identity_number_lookup IS NOT NULL OR p.identity_number_encrypted IS NOT NULL);
        GET DIAGNOSTICS n = ROW_COUNT; v_rows := v_rows + n;
        UPDATE cases.household_members SET identity_number_lookup = NULL WHERE household_id = v_household AND identity_number_lookup IS NOT NULL;
        GET DIAGNOSTICS n = ROW_COUNT; v_rows := v_rows + n;
    END IF;

    INSERT INTO cases.anonymisations (anonymisation_id, case_id, ground, reason, ordered_by, rows_anonymised)
    VALUES (p_anonymisation_id, p_case_id, p_ground, p_reason, p_ordered_by, v_rows);
    PERFORM set_config('samskaping.anonymising', '', true);
    RETURN v_rows;
END;
$$;
