-- Anonymisation of a case (CaseAnonymisationOrdered): every text coordination holds about the family goes — the relay
-- log's entries, goals in the family's words, measures' titles, evaluations, BTI reasons, handover notes, tasks — and
-- the structure stays: which sectors took part and when, measures' periods and reviews, BTI levels, evaluations'
-- yes/no/partly, so the municipality's statistics on cooperation still count the case.

-- One row per anonymisation this service has done: the audit trail, and what makes a second order a no-op.
CREATE TABLE coordination.anonymisations (
    anonymisation_id  uuid        PRIMARY KEY,
    case_id           uuid        NOT NULL,
    ground            text        NOT NULL,
    reason            text        NOT NULL,
    ordered_by        text        NOT NULL,
    rows_anonymised   integer     NOT NULL,
    anonymised_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX anonymisations_case ON coordination.anonymisations (case_id);

-- Append-only, except inside coordination.anonymise_case, which says so in samskaping.anonymising for its
-- transaction. Never truncated.
CREATE OR REPLACE FUNCTION coordination.reject_relay_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND coalesce(current_setting('samskaping.anonymising', true), '') <> '' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'coordination.relay_log is append-only: write a correction instead'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE FUNCTION coordination.anonymise_case(
    p_case_id uuid, p_anonymisation_id uuid, p_ground text, p_reason text, p_ordered_by text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    marker constant text := '[anonymisert]';
    total integer := 0;
    n integer;
BEGIN
    IF EXISTS (SELECT 1 FROM coordination.anonymisations WHERE anonymisation_id = p_anonymisation_id) THEN
        RETURN 0;
    END IF;
    PERFORM set_config('samskaping.anonymising', p_anonymisation_id::text, true);

    UPDATE coordination.relay_log SET text = marker WHERE case_id = p_case_id;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    UPDATE coordination.goals SET text = marker WHERE case_id = p_case_id;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    UPDATE coordination.measures SET title = marker WHERE case_id = p_case_id;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    UPDATE coordination.evaluations e
    SET family_words = CASE WHEN e.family_words IS NULL THEN NULL ELSE marker END,
        note = CASE WHEN e.note IS NULL THEN NULL ELSE marker END
    FROM coordination.measures m
    WHERE e.measure_id = m.id AND m.case_id = p_case_id;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    UPDATE coordination.bti_levels SET reason = marker WHERE case_id = p_case_id;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    UPDATE coordination.handovers
    SET note = CASE WHEN note IS NULL THEN NULL ELSE marker END,
        reason = CASE WHEN reason IS NULL THEN NULL ELSE marker END
    WHERE case_id = p_case_id;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    UPDATE coordination.sector_departures SET reason = marker WHERE case_id = p_case_id;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    UPDATE coordination.tasks SET title = marker WHERE case_id = p_case_id;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    -- Published messages about the case carried the same words; what is still to be published is left to go out.
    UPDATE messaging.outbox
    SET body = jsonb_build_object('anonymisationId', p_anonymisation_id)
    WHERE case_id = p_case_id AND published_at IS NOT NULL;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    INSERT INTO coordination.anonymisations (anonymisation_id, case_id, ground, reason, ordered_by, rows_anonymised)
    VALUES (p_anonymisation_id, p_case_id, p_ground, p_reason, p_ordered_by, total);
    PERFORM set_config('samskaping.anonymising', '', true);
    RETURN total;
END;
$$;
