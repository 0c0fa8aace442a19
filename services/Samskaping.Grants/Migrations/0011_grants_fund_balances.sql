-- A fund's four balances in ONE row, so that a posting locks one row per fund instead of two.
--
-- Why: every approval, payment and release of a fund moves money between two of its accounts (available → reserved,
-- reserved → paid, reserved → available). With a row per account, each posting held two contended row locks, and held
-- them while it wrote its entries, ran their key and balance checks and looked up the fund's FundLow threshold. Here the
-- posting writes its transaction row and entries first — against account rows that never change, so no one waits for
-- them — and then moves the money in one conditional update of the fund's balances row, the last statement before
-- COMMIT: the contended lock is held for that update and the commit only.
--
-- The guarantees are the ones of 0002–0005, said differently where the shape changed:
-- - a debit takes the money only if it is there (a conditional update with its row count checked), and
--   CHECK (… >= 0) backs it under the same name, fund_accounts_never_negative;
-- - every balance stays within ±100 000 000 000 (fund_accounts_within_limit), and what a fund holds (available,
--   reserved and paid together) at most that (fund_holdings_within_limit) — now a CHECK on the row, not a rule in
--   grants.post;
-- - every ledger transaction has two or more entries summing to zero: checked for each statement that inserts
--   entries (so entries can only come in balanced sets, and a ledger transaction's total is a sum of zeros), and that
--   it has entries at all, at COMMIT;
-- - the ledger stays append-only, and every balance equals the sum of its account's entries (the view below makes the
--   two comparable row by row).

CREATE TABLE grants.fund_balances (
    fund_id        uuid          PRIMARY KEY REFERENCES grants.funds (id),
    budget_source  numeric(14,2) NOT NULL DEFAULT 0,
    available      numeric(14,2) NOT NULL DEFAULT 0,
    reserved       numeric(14,2) NOT NULL DEFAULT 0,
    paid           numeric(14,2) NOT NULL DEFAULT 0,
    CONSTRAINT fund_accounts_never_negative CHECK (available >= 0 AND reserved >= 0 AND paid >= 0),
    CONSTRAINT fund_accounts_within_limit CHECK (
        budget_source BETWEEN -100000000000 AND 100000000000 AND available <= 100000000000
        AND reserved <= 100000000000 AND paid <= 100000000000),
    CONSTRAINT fund_holdings_within_limit CHECK (available + reserved + paid <= 100000000000)
);

INSERT INTO grants.fund_balances (fund_id, budget_source, available, reserved, paid)
SELECT f.id,
       coalesce(sum(a.balance) FILTER (WHERE a.kind = 'budget-source'), 0),
       coalesce(sum(a.balance) FILTER (WHERE a.kind = 'available'), 0),
       coalesce(sum(a.balance) FILTER (WHERE a.kind = 'reserved'), 0),
       coalesce(sum(a.balance) FILTER (WHERE a.kind = 'paid'), 0)
FROM grants.funds f LEFT JOIN grants.accounts a ON a.fund_id = f.id
GROUP BY f.id;

-- The accounts stay: they are what ledger entries name. Their balances now live in fund_balances only.
ALTER TABLE grants.accounts DROP COLUMN balance;

-- Each account with its balance, for whoever reads balances account by account (reports, metrics, reconciliation).
CREATE VIEW grants.account_balances AS
SELECT a.id, a.fund_id, a.kind,
       CASE a.kind WHEN 'budget-source' THEN b.budget_source WHEN 'available' THEN b.available
                   WHEN 'reserved' THEN b.reserved ELSE b.paid END AS balance
FROM grants.accounts a JOIN grants.fund_balances b ON b.fund_id = a.fund_id;

-- Double entry per statement: the entries a statement inserts for a ledger transaction are two or more and sum to zero.
DROP TRIGGER ledger_entries_balanced ON grants.ledger_entries;
DROP FUNCTION grants.check_transaction_balanced();

CREATE FUNCTION grants.check_entries_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_transaction uuid;
    v_entries bigint;
    v_total numeric;
BEGIN
    SELECT transaction_id, count(*), sum(amount) INTO v_transaction, v_entries, v_total
    FROM new_entries GROUP BY transaction_id HAVING count(*) < 2 OR sum(amount) <> 0 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (% entries, sum %)', v_transaction, v_entries, v_total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER ledger_entries_balanced
    AFTER INSERT ON grants.ledger_entries
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION grants.check_entries_balanced();

-- FundLow once per crossing, given the fund's available balance (grants.post has it from its update, so the contended
-- row is not read again). Otherwise as announce_low in 0003.
CREATE FUNCTION grants.announce_low_at(
    p_fund uuid, p_available numeric, p_at timestamptz, p_message_id uuid, p_message_type text, p_trace_parent text)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    v_name text;
    v_threshold numeric;
    v_low_since timestamptz;
BEGIN
    SELECT name, low_balance_threshold, low_since INTO v_name, v_threshold, v_low_since FROM grants.funds WHERE id = p_fund;
    IF v_low_since IS NOT NULL AND p_available >= v_threshold THEN
        UPDATE grants.funds SET low_since = NULL WHERE id = p_fund;
    END IF;
    IF v_low_since IS NOT NULL OR p_available >= v_threshold THEN
        RETURN false;
    END IF;
    UPDATE grants.funds SET low_since = p_at WHERE id = p_fund AND low_since IS NULL;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO messaging.outbox (id, message_type, body, trace_parent, created_at)
    VALUES (p_message_id, p_message_type,
            jsonb_build_object(
                'fundId', p_fund, 'name', v_name, 'available', p_available, 'threshold', v_threshold,
                'at', to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
            p_trace_parent, p_at);
    PERFORM pg_notify('samskaping_outbox', '');
    RETURN true;
END;
$$;

-- For a fund that starts below its threshold (the service calls it when a fund is created).
CREATE OR REPLACE FUNCTION grants.announce_low(
    p_fund uuid, p_at timestamptz, p_message_id uuid, p_message_type text, p_trace_parent text)
RETURNS boolean LANGUAGE sql AS $$
    SELECT grants.announce_low_at(p_fund, (SELECT available FROM grants.fund_balances WHERE fund_id = p_fund),
                                  p_at, p_message_id, p_message_type, p_trace_parent);
$$;

-- One ledger transaction, same call as before: its row and entries, then per fund (in the caller's order, so no two
-- postings deadlock) one conditional update of the balances, then the FundLow check of the funds whose available moved.
-- A debit that finds too little raises check_violation under fund_accounts_never_negative with the leg's position and
-- the balance it found in HINT ("<leg> <balance>"), as in 0003; a limit raises its CHECK's name.
CREATE OR REPLACE FUNCTION grants.post(
    p_transaction uuid, p_kind text, p_grant uuid, p_disbursement uuid, p_description text, p_recorded_by text,
    p_at timestamptz, p_funds uuid[], p_accounts text[], p_amounts numeric[],
    p_low_funds uuid[], p_low_message_ids uuid[], p_low_message_type text, p_trace_parent text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    i integer;
    j integer;
    v_first integer := 1;
    v_legs integer := coalesce(cardinality(p_amounts), 0);
    v_accounts uuid[];
    v_delta numeric[] := ARRAY[0, 0, 0, 0];
    v_row grants.fund_balances;
    v_have numeric;
    v_short integer;
    v_available_funds uuid[] := '{}';
    v_available numeric[] := '{}';
    v_lows integer := 0;
BEGIN
    SELECT array_agg(a.id ORDER BY l.n) INTO v_accounts
    FROM unnest(p_funds, p_accounts) WITH ORDINALITY AS l(fund_id, kind, n)
    JOIN grants.accounts a ON a.fund_id = l.fund_id AND a.kind = l.kind;
    IF coalesce(cardinality(v_accounts), 0) <> v_legs THEN
        RAISE EXCEPTION 'a posting names an account its fund does not have (%, %)', p_funds, p_accounts
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    INSERT INTO grants.ledger_transactions (id, kind, grant_id, disbursement_id, description, recorded_by, recorded_at)
    VALUES (p_transaction, p_kind, p_grant, p_disbursement, p_description, p_recorded_by, p_at);
    INSERT INTO grants.ledger_entries (transaction_id, account_id, amount)
    SELECT p_transaction, e.account_id, e.amount FROM unnest(v_accounts, p_amounts) AS e(account_id, amount);

    FOR i IN 1 .. v_legs LOOP
        j := array_position(ARRAY['budget-source', 'available', 'reserved', 'paid'], p_accounts[i]);
        v_delta[j] := v_delta[j] + p_amounts[i];
        CONTINUE WHEN i < v_legs AND p_funds[i + 1] = p_funds[i];
        UPDATE grants.fund_balances
        SET budget_source = budget_source + v_delta[1], available = available + v_delta[2],
            reserved = reserved + v_delta[3], paid = paid + v_delta[4]
        WHERE fund_id = p_funds[i]
          AND available + v_delta[2] >= 0 AND reserved + v_delta[3] >= 0 AND paid + v_delta[4] >= 0
        RETURNING * INTO v_row;
        IF NOT FOUND THEN
            SELECT * INTO v_row FROM grants.fund_balances WHERE fund_id = p_funds[i];
            IF NOT FOUND THEN
                RAISE EXCEPTION 'fund % has no balances', p_funds[i] USING ERRCODE = 'foreign_key_violation';
            END IF;
            -- The leg that fell short: the first that is short in the row read again, or, when money came back between
            -- the update and this read (a release committed meanwhile), the first debit — it was short when it was tried.
            v_short := NULL;
            FOR j IN v_first .. i LOOP
                v_have := CASE p_accounts[j] WHEN 'available' THEN v_row.available WHEN 'reserved' THEN v_row.reserved
                                             WHEN 'paid' THEN v_row.paid END;
                IF v_have + p_amounts[j] < 0 THEN
                    v_short := j;
                    EXIT;
                END IF;
                IF v_short IS NULL AND v_have IS NOT NULL AND p_amounts[j] < 0 THEN
                    v_short := -j;
                END IF;
            END LOOP;
            j := abs(v_short);
            v_have := CASE p_accounts[j] WHEN 'available' THEN v_row.available WHEN 'reserved' THEN v_row.reserved
                                         WHEN 'paid' THEN v_row.paid END;
            RAISE EXCEPTION USING
                ERRCODE = 'check_violation', SCHEMA = 'grants', TABLE = 'fund_balances', CONSTRAINT = 'fund_accounts_never_negative',
                MESSAGE = format('fund %s: the %s account has %s, %s was asked for', p_funds[j], p_accounts[j], v_have, -p_amounts[j]),
                HINT = format('%s %s', j, v_have);
        END IF;
        IF v_delta[2] <> 0 THEN
            v_available_funds := v_available_funds || p_funds[i];
            v_available := v_available || v_row.available;
        END IF;
        v_delta := ARRAY[0, 0, 0, 0];
        v_first := i + 1;
    END LOOP;

    FOR i IN 1 .. coalesce(cardinality(p_low_funds), 0) LOOP
        j := array_position(v_available_funds, p_low_funds[i]);
        IF j IS NOT NULL AND grants.announce_low_at(
            p_low_funds[i], v_available[j], p_at, p_low_message_ids[i], p_low_message_type, p_trace_parent) THEN
            v_lows := v_lows + 1;
        END IF;
    END LOOP;
    RETURN v_lows;
END;
$$;
