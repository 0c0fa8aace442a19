-- A ledger transaction as ONE row: its legs, the accounts and their signed amounts, as two arrays beside its kind and
-- description. ledger_entries becomes a view that reads as the table did, one row per leg.
--
-- Why: a posting wrote three rows — the transaction and its two entries — and each entry paid for two foreign-key
-- checks, its amount CHECK, a primary-key index entry and an account index entry, then a statement trigger summed the
-- entries and a constraint trigger at COMMIT looked for them. All of that ran on every approval, payment and release,
-- in the transaction that then takes the fund's contended balances row. One row under CHECKs says the same with one
-- insert.
--
-- The guarantees of 0002–0011, restated for the shape:
-- - every transaction has two or more legs, none of them zero, and they sum to zero (ledger_transaction_legs,
--   ledger_transaction_balanced): a transaction can no longer exist without entries, nor gain or lose one later;
-- - every leg is within ±1 000 000 000.00 (ledger_entries_amount_within_limit, the name it had);
-- - every leg names an account that exists, each account once: a trigger at insert (an array cannot carry a foreign
--   key), and accounts can no longer be changed or removed, so what a leg names stays there;
-- - the ledger stays append-only, and every balance in fund_balances equals the sum of its account's legs.

-- The transactions as they were, out of the way of the new table's names; their rows are copied, then dropped.
ALTER TABLE grants.ledger_transactions RENAME TO ledger_transactions_0011;
ALTER INDEX grants.ledger_transactions_pkey RENAME TO ledger_transactions_0011_pkey;

-- The sum of a transaction's legs. IMMUTABLE, so a CHECK may call it: it reads nothing but its argument.
CREATE FUNCTION grants.legs_sum(p_amounts numeric[]) RETURNS numeric
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN (SELECT sum(x) FROM unnest(p_amounts) AS x);

CREATE TABLE grants.ledger_transactions (
    id               uuid            PRIMARY KEY,
    kind             text            NOT NULL CHECK (kind IN ('top-up', 'reallocation', 'reserve', 'pay', 'release')),
    grant_id         uuid            NULL,
    disbursement_id  uuid            NULL,
    description      text            NOT NULL,
    recorded_by      text            NOT NULL,
    recorded_at      timestamptz     NOT NULL,
    -- Leg n moves amounts[n] into accounts[n]: positive adds to the account's balance, negative takes from it.
    accounts         uuid[]          NOT NULL,
    amounts          numeric(14,2)[] NOT NULL,
    CONSTRAINT ledger_transaction_legs CHECK (
        array_ndims(accounts) = 1 AND array_ndims(amounts) = 1
        AND cardinality(amounts) >= 2 AND cardinality(accounts) = cardinality(amounts)
        AND array_position(accounts, NULL) IS NULL AND array_position(amounts, NULL) IS NULL
        AND 0 <> ALL (amounts)),
    CONSTRAINT ledger_entries_amount_within_limit CHECK (1000000000 >= ALL (amounts) AND -1000000000 <= ALL (amounts)),
    CONSTRAINT ledger_transaction_balanced CHECK (grants.legs_sum(amounts) = 0)
);

-- A fund's history: the transactions with a leg in any of its accounts (accounts && the fund's account ids).
CREATE INDEX ledger_transactions_accounts ON grants.ledger_transactions USING gin (accounts);

-- Legs in the order grants.post writes them: by fund, then budget-source, available, reserved, paid.
INSERT INTO grants.ledger_transactions
    (id, kind, grant_id, disbursement_id, description, recorded_by, recorded_at, accounts, amounts)
SELECT t.id, t.kind, t.grant_id, t.disbursement_id, t.description, t.recorded_by, t.recorded_at, l.accounts, l.amounts
FROM grants.ledger_transactions_0011 t
CROSS JOIN LATERAL (
    SELECT array_agg(e.account_id ORDER BY a.fund_id, array_position(ARRAY['budget-source', 'available', 'reserved', 'paid'], a.kind)) AS accounts,
           array_agg(e.amount ORDER BY a.fund_id, array_position(ARRAY['budget-source', 'available', 'reserved', 'paid'], a.kind)) AS amounts
    FROM grants.ledger_entries e JOIN grants.accounts a ON a.id = e.account_id
    WHERE e.transaction_id = t.id) l;

DROP TABLE grants.ledger_entries;
DROP TABLE grants.ledger_transactions_0011;
DROP FUNCTION grants.check_entries_balanced();
DROP FUNCTION grants.check_transaction_has_entries();

CREATE TRIGGER ledger_transactions_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON grants.ledger_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION grants.reject_ledger_change();

-- Accounts are what legs name, so they never change and are never removed.
CREATE TRIGGER accounts_unchanging
    BEFORE UPDATE OR DELETE OR TRUNCATE ON grants.accounts
    FOR EACH STATEMENT EXECUTE FUNCTION grants.reject_ledger_change();

-- Each leg an account that exists, and no account twice (the entries' key and foreign key did both).
CREATE FUNCTION grants.check_legs_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM grants.accounts WHERE id = ANY (NEW.accounts)) <> cardinality(NEW.accounts) THEN
        RAISE EXCEPTION 'ledger transaction % names an account that does not exist, or one account twice', NEW.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER ledger_transactions_legs_accounts
    BEFORE INSERT ON grants.ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION grants.check_legs_accounts();

-- The legs one row each, for whoever reads entries (reports, reconciliation, the tests' invariants).
CREATE VIEW grants.ledger_entries AS
SELECT t.id AS transaction_id, l.account_id, l.amount
FROM grants.ledger_transactions t CROSS JOIN LATERAL unnest(t.accounts, t.amounts) AS l(account_id, amount);

-- Entries are written with their transaction, by grants.post; the view itself takes no writes.
CREATE TRIGGER ledger_entries_append_only
    INSTEAD OF INSERT OR UPDATE OR DELETE ON grants.ledger_entries
    FOR EACH ROW EXECUTE FUNCTION grants.reject_ledger_change();

-- One ledger transaction, same call as in 0011: its row with its legs, then per fund (in the caller's order, so no two
-- postings deadlock) one conditional update of the balances, then the FundLow check of the funds whose available moved.
-- A debit that finds too little raises check_violation under fund_accounts_never_negative with the leg's position and
-- the balance it found in HINT ("<leg> <balance>"); a limit raises its CHECK's name.
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
    INSERT INTO grants.ledger_transactions
        (id, kind, grant_id, disbursement_id, description, recorded_by, recorded_at, accounts, amounts)
    VALUES (p_transaction, p_kind, p_grant, p_disbursement, p_description, p_recorded_by, p_at, v_accounts, p_amounts);

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
