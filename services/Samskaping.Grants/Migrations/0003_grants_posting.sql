-- A ledger posting as ONE server-side call, so that it can travel in the same round trip as COMMIT.
--
-- Why: a fund's available (and reserved) account row is locked by the first balance update of a posting and stays
-- locked until the transaction ends. When the posting's result went back to the service and the service then sent
-- COMMIT, every contending posting waited for that client round trip (pg_stat_activity: 62 of 64 sessions on
-- Lock/transactionid, the holder "idle in transaction" on ClientRead). Here the conditional debit, its row-count
-- check, the entries and the FundLow check all run inside the database, and the service sends
-- [ ..., SELECT grants.post(...), COMMIT ] as one batch: the lock is held for server work only.
--
-- The invariants are unchanged: the debit is still a conditional update (balance >= amount) whose row count is
-- checked (IF NOT FOUND ... RAISE), CHECK (balance >= 0) still backs it, accounts are still updated in the order the
-- caller gives (fund, then kind: no deadlocks), the entries are still checked to sum to zero at commit, and the
-- ledger stays append-only.

-- FundLow once per crossing: mark the fund low and write the FundLow event to the outbox when available is under the
-- threshold and the fund was not marked yet; clear the mark when available is back at or above the threshold.
-- True when FundLow was written. The event's body is the JSON of Samskaping.Contracts.Grants.FundLow (camelCase,
-- as Outbox writes it); its id, type name and trace parent come from the service.
-- Called with the fund's available account row locked by this transaction (grants.post updated it), so the balance
-- and the mark cannot change under it: the common case is one read; the mark is set by a conditional update.
CREATE FUNCTION grants.announce_low(
    p_fund uuid, p_at timestamptz, p_message_id uuid, p_message_type text, p_trace_parent text)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    v_name text;
    v_threshold numeric;
    v_low_since timestamptz;
    v_available numeric;
BEGIN
    SELECT f.name, f.low_balance_threshold, f.low_since, a.balance INTO v_name, v_threshold, v_low_since, v_available
    FROM grants.funds f JOIN grants.accounts a ON a.fund_id = f.id AND a.kind = 'available'
    WHERE f.id = p_fund;
    IF v_low_since IS NOT NULL AND v_available >= v_threshold THEN
        UPDATE grants.funds SET low_since = NULL WHERE id = p_fund;
    END IF;
    IF v_low_since IS NOT NULL OR v_available >= v_threshold THEN
        RETURN false;
    END IF;
    UPDATE grants.funds SET low_since = p_at WHERE id = p_fund AND low_since IS NULL;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO messaging.outbox (id, message_type, body, trace_parent, created_at)
    VALUES (p_message_id, p_message_type,
            jsonb_build_object(
                'fundId', p_fund, 'name', v_name, 'available', v_available, 'threshold', v_threshold,
                'at', to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
            p_trace_parent, p_at);
    PERFORM pg_notify('samskaping_outbox', '');
    RETURN true;
END;
$$;

-- One ledger transaction: its row, then per leg (in the caller's order) the balance update — a debit only if the
-- money is there — then the entries, then the FundLow check of the funds whose available account moved.
-- A debit that finds too little raises check_violation on fund_accounts_never_negative, with the leg's position and
-- the balance it found in HINT ("<leg> <balance>"; DETAIL is redacted by the client): the whole transaction fails,
-- so nothing is half-written and a COMMIT sent in the same batch never runs.
-- Returns how many FundLow events were written.
CREATE FUNCTION grants.post(
    p_transaction uuid, p_kind text, p_grant uuid, p_disbursement uuid, p_description text, p_recorded_by text,
    p_at timestamptz, p_funds uuid[], p_accounts text[], p_amounts numeric[],
    p_low_funds uuid[], p_low_message_ids uuid[], p_low_message_type text, p_trace_parent text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    i integer;
    v_account uuid;
    v_accounts uuid[] := '{}';
    v_balance numeric;
    v_lows integer := 0;
BEGIN
    INSERT INTO grants.ledger_transactions (id, kind, grant_id, disbursement_id, description, recorded_by, recorded_at)
    VALUES (p_transaction, p_kind, p_grant, p_disbursement, p_description, p_recorded_by, p_at);
    FOR i IN 1 .. coalesce(cardinality(p_amounts), 0) LOOP
        UPDATE grants.accounts SET balance = balance + p_amounts[i]
        WHERE fund_id = p_funds[i] AND kind = p_accounts[i]
          AND (p_amounts[i] > 0 OR kind = 'budget-source' OR balance >= -p_amounts[i])
        RETURNING id INTO v_account;
        IF NOT FOUND THEN
            SELECT balance INTO v_balance FROM grants.accounts WHERE fund_id = p_funds[i] AND kind = p_accounts[i];
            IF NOT FOUND THEN
                RAISE EXCEPTION 'fund % has no % account', p_funds[i], p_accounts[i] USING ERRCODE = 'foreign_key_violation';
            END IF;
            RAISE EXCEPTION USING
                ERRCODE = 'check_violation', SCHEMA = 'grants', TABLE = 'accounts', CONSTRAINT = 'fund_accounts_never_negative',
                MESSAGE = format('fund %s: the %s account has %s, %s was asked for', p_funds[i], p_accounts[i], v_balance, -p_amounts[i]),
                HINT = format('%s %s', i, v_balance);
        END IF;
        v_accounts := v_accounts || v_account;
    END LOOP;
    -- The entries after the updates: their foreign-key checks find account rows this transaction holds already,
    -- instead of piling shared locks (multixacts) onto a row everyone else is waiting for.
    INSERT INTO grants.ledger_entries (transaction_id, account_id, amount)
    SELECT p_transaction, e.account_id, e.amount FROM unnest(v_accounts, p_amounts) AS e(account_id, amount);
    FOR i IN 1 .. coalesce(cardinality(p_low_funds), 0) LOOP
        IF grants.announce_low(p_low_funds[i], p_at, p_low_message_ids[i], p_low_message_type, p_trace_parent) THEN
            v_lows := v_lows + 1;
        END IF;
    END LOOP;
    RETURN v_lows;
END;
$$;
