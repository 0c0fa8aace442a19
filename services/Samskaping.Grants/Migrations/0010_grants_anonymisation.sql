-- Anonymisation of a case (CaseAnonymisationOrdered): what grants holds of the family goes — the purpose and every
-- other text in their words, the payee's name and account number, the letters' text and PDF, the appeals' words —
-- and what the bookkeeping act (bokføringsloven) and the fund's totals need stays: ids, amounts, statuses, dates,
-- the ledger's entries. The ledger is never touched: its descriptions are written by the service, never by the family.

-- One row per anonymisation this service has done: the audit trail, and what makes a second order a no-op.
CREATE TABLE grants.anonymisations (
    anonymisation_id  uuid        PRIMARY KEY,
    case_id           uuid        NOT NULL,
    ground            text        NOT NULL,
    reason            text        NOT NULL,
    ordered_by        text        NOT NULL,
    rows_anonymised   integer     NOT NULL,
    anonymised_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX anonymisations_case ON grants.anonymisations (case_id);

-- Issued is final, except inside grants.anonymise_case, which says so in samskaping.anonymising for its transaction.
CREATE OR REPLACE FUNCTION grants.reject_letter_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND coalesce(current_setting('samskaping.anonymising', true), '') <> '' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a decision letter is never changed once issued: % on % is not allowed (issue a new letter that replaces it)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE FUNCTION grants.anonymise_case(
    p_case_id uuid, p_anonymisation_id uuid, p_ground text, p_reason text, p_ordered_by text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    marker constant text := '[anonymisert]';
    -- An account number must be 11 digits: all zeros is none anyone has.
    no_account constant text := '00000000000';
    total integer := 0;
    n integer;
    payee record;
BEGIN
    IF EXISTS (SELECT 1 FROM grants.anonymisations WHERE anonymisation_id = p_anonymisation_id) THEN
        RETURN 0;
    END IF;
    PERFORM set_config('samskaping.anonymising', p_anonymisation_id::text, true);

    -- Payment files and bank answers hold many families' payments: only this case's payees' names and accounts go.
    FOR payee IN
        SELECT DISTINCT g.payee_name, g.account_number, d.payment_file_id, g.fund_id
        FROM grants.grants g LEFT JOIN grants.disbursements d ON d.grant_id = g.id
        WHERE g.case_id = p_case_id AND g.account_number <> no_account
    LOOP
        UPDATE grants.payment_files f
        SET document = replace(replace(replace(f.document, payee.account_number, no_account),
                                       payee.payee_name, marker),
                               replace(replace(replace(payee.payee_name, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), marker)
        WHERE f.id = payee.payment_file_id
          AND (position(payee.account_number in f.document) > 0 OR position(payee.payee_name in f.document) > 0);
        GET DIAGNOSTICS n = ROW_COUNT; total := total + n;
        UPDATE grants.bank_imports b
        SET report = replace(replace(b.report::text, payee.account_number, no_account),
                             to_json(payee.payee_name)::text, to_json(marker)::text)::jsonb
        WHERE b.fund_id = payee.fund_id
          AND (position(payee.account_number in b.report::text) > 0
               OR position(to_json(payee.payee_name)::text in b.report::text) > 0);
        GET DIAGNOSTICS n = ROW_COUNT; total := total + n;
    END LOOP;

    UPDATE grants.grants
    SET purpose = marker,
        payee_name = marker,
        account_number = no_account,
        decline_reason = CASE WHEN decline_reason IS NULL THEN NULL ELSE marker END,
        requested_by_name = NULL
    WHERE case_id = p_case_id;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    UPDATE grants.disbursements
    SET reason = CASE WHEN reason IS NULL THEN NULL ELSE marker END
    WHERE case_id = p_case_id AND reason IS NOT NULL;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    -- The letter's content goes; its outcome, amount, dates and who decided stay (the hash is of the empty PDF).
    UPDATE grants.decision_letters
    SET text = marker, pdf = ''::bytea, sha256 = encode(sha256(''::bytea), 'hex')
    WHERE case_id = p_case_id;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    UPDATE grants.appeals
    SET appellant = marker,
        text = marker,
        forward_note = CASE WHEN forward_note IS NULL THEN NULL ELSE marker END,
        outcome_note = CASE WHEN outcome_note IS NULL THEN NULL ELSE marker END
    WHERE case_id = p_case_id;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    -- A replayed answer to a money-moving request repeats the request's words: the stored answers about the case go.
    DELETE FROM grants.idempotency_keys
    WHERE position(p_case_id::text in coalesce(response_body, '') || coalesce(location, '')) > 0
       OR EXISTS (SELECT 1 FROM grants.grants g
                  WHERE g.case_id = p_case_id
                    AND position(g.id::text in coalesce(response_body, '') || coalesce(location, '')) > 0);
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    -- Published messages about the case carried the same words; what is still to be published is left to go out.
    UPDATE messaging.outbox
    SET body = jsonb_build_object('anonymisationId', p_anonymisation_id)
    WHERE case_id = p_case_id AND published_at IS NOT NULL;
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;

    INSERT INTO grants.anonymisations (anonymisation_id, case_id, ground, reason, ordered_by, rows_anonymised)
    VALUES (p_anonymisation_id, p_case_id, p_ground, p_reason, p_ordered_by, total);
    PERFORM set_config('samskaping.anonymising', '', true);
    RETURN total;
END;
$$;
