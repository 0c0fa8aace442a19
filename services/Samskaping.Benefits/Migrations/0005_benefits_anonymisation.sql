-- Anonymisation of a case (CaseAnonymisationOrdered): the Digisos feed's document (names, identity numbers, purposes,
-- letters' texts) and the facts it was built from go; the feed's history stays — its state, versions, when it was
-- delivered and under which Digisos id — because the benefit system's own copy is governed by its rules, and the
-- municipality must still be able to show what it delivered and when. A feed not yet delivered is refused: an
-- anonymised document is never sent. Inbound notifications hold no case and no person (only the receipt), so they
-- and their append-only trigger are not touched.

-- One row per anonymisation this service has done: the audit trail, and what makes a second order a no-op.
CREATE TABLE benefits.anonymisations (
    anonymisation_id  uuid        PRIMARY KEY,
    case_id           uuid        NOT NULL,
    ground            text        NOT NULL,
    reason            text        NOT NULL,
    ordered_by        text        NOT NULL,
    rows_anonymised   integer     NOT NULL,
    anonymised_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX anonymisations_case ON benefits.anonymisations (case_id);

CREATE FUNCTION benefits.anonymise_case(
    p_case_id uuid, p_anonymisation_id uuid, p_ground text, p_reason text, p_ordered_by text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    marker constant jsonb := jsonb_build_object('anonymisert', true);
    total integer := 0;
    n integer;
BEGIN
    IF EXISTS (SELECT 1 FROM benefits.anonymisations WHERE anonymisation_id = p_anonymisation_id) THEN
        RETURN 0;
    END IF;
    PERFORM set_config('samskaping.anonymising', p_anonymisation_id::text, true);

    UPDATE benefits.feed_facts SET body = marker WHERE case_id = p_case_id;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    UPDATE benefits.feeds
    SET document = marker,
        validation_errors = CASE WHEN validation_errors IS NULL THEN NULL ELSE '[]'::jsonb END,
        last_error = NULL,
        state = CASE WHEN state IN ('pending', 'waiting-for-applicant') THEN 'refused' ELSE state END,
        leased_until = NULL
    WHERE case_id = p_case_id;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    -- Published messages about the case carried the same data; what is still to be published is left to go out.
    UPDATE messaging.outbox
    SET body = jsonb_build_object('anonymisationId', p_anonymisation_id)
    WHERE case_id = p_case_id AND published_at IS NOT NULL;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    INSERT INTO benefits.anonymisations (anonymisation_id, case_id, ground, reason, ordered_by, rows_anonymised)
    VALUES (p_anonymisation_id, p_case_id, p_ground, p_reason, p_ordered_by, total);
    PERFORM set_config('samskaping.anonymising', '', true);
    RETURN total;
END;
$$;
