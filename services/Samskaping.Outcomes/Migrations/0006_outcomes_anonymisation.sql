-- Anonymisation of a case (CaseAnonymisationOrdered): the family's free-text answers go, and so does every link from
-- a score to a person — the person ids become random ones no one can trace back, the birth dates go — while the
-- scores, domains, measurement kinds and dates, roles and the case facts stay, so the outcome reports and their
-- aggregates give the same figures (statistics the municipality reports on are not to change when a case is erased).

-- One row per anonymisation this service has done: the audit trail, and what makes a second order a no-op.
CREATE TABLE outcomes.anonymisations (
    anonymisation_id  uuid        PRIMARY KEY,
    case_id           uuid        NOT NULL,
    ground            text        NOT NULL,
    reason            text        NOT NULL,
    ordered_by        text        NOT NULL,
    rows_anonymised   integer     NOT NULL,
    anonymised_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX anonymisations_case ON outcomes.anonymisations (case_id);

-- A member of an anonymised case has no birth date any more: the research export counts them as age unknown.
ALTER TABLE outcomes.household_members ALTER COLUMN birth_date DROP NOT NULL;

CREATE FUNCTION outcomes.anonymise_case(
    p_case_id uuid, p_anonymisation_id uuid, p_ground text, p_reason text, p_ordered_by text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    -- Random for this call and never stored: the same person gets the same new id in the members and the responses
    -- (the reports join them), and nothing can compute it from the old one afterwards.
    salt constant text := gen_random_uuid()::text;
    total integer := 0;
    n integer;
BEGIN
    IF EXISTS (SELECT 1 FROM outcomes.anonymisations WHERE anonymisation_id = p_anonymisation_id) THEN
        RETURN 0;
    END IF;
    PERFORM set_config('samskaping.anonymising', p_anonymisation_id::text, true);

    -- A free-text answer is only the family's words: the row goes (the scores are computed from the scaled items).
    DELETE FROM outcomes.answers a
    USING outcomes.responses r
    WHERE a.response_id = r.id AND r.case_id = p_case_id AND a.text IS NOT NULL;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    UPDATE outcomes.responses
    SET person_id = md5(salt || person_id::text)::uuid
    WHERE case_id = p_case_id;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    UPDATE outcomes.household_members
    SET person_id = md5(salt || person_id::text)::uuid, birth_date = NULL
    WHERE case_id = p_case_id;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    -- Published messages about the case carried the person ids and answers; what is still to be published goes out.
    UPDATE messaging.outbox
    SET body = jsonb_build_object('anonymisationId', p_anonymisation_id)
    WHERE case_id = p_case_id AND published_at IS NOT NULL;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    INSERT INTO outcomes.anonymisations (anonymisation_id, case_id, ground, reason, ordered_by, rows_anonymised)
    VALUES (p_anonymisation_id, p_case_id, p_ground, p_reason, p_ordered_by, total);
    PERFORM set_config('samskaping.anonymising', '', true);
    RETURN total;
END;
$$;
