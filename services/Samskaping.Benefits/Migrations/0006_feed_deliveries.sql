-- Every version of a case's Digisos status document that the benefit system received, as it was sent: the feed row
-- keeps only the current version, and a person's export lists every document sent about them (docs/privacy.md).
-- Written in the transaction that records the delivery; a version is recorded once.
CREATE TABLE benefits.feed_deliveries (
    case_id       uuid        NOT NULL,
    version       integer     NOT NULL CHECK (version >= 1),
    digisos_id    text        NOT NULL,
    delivered_at  timestamptz NOT NULL,
    document      jsonb       NOT NULL,
    PRIMARY KEY (case_id, version)
);

-- Anonymisation (0005) removes these documents too, keeping which version went out, when and under which Digisos id.
CREATE OR REPLACE FUNCTION benefits.anonymise_case(
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

    UPDATE benefits.feed_deliveries SET document = marker WHERE case_id = p_case_id;
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
