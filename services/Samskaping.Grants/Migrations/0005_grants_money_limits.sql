-- Explicit limits on money, well inside what numeric(14,2) holds, the same numbers as Money.MaxAmount and
-- Money.MaxBalance: a number past them is refused by a CHECK, which the service answers with 422 naming the field,
-- never by a numeric overflow. ADD CONSTRAINT checks the rows already there: a database holding a number past a limit
-- stops at this migration, naming the constraint, instead of starting with money it could not move.

-- One amount: at most 1 000 000 000.00 NOK.
ALTER TABLE grants.funds
    ADD CONSTRAINT funds_amounts_within_limit
        CHECK (approval_threshold <= 1000000000 AND household_cap <= 1000000000 AND low_balance_threshold <= 1000000000);
ALTER TABLE grants.grants ADD CONSTRAINT grants_amount_within_limit CHECK (amount <= 1000000000);
ALTER TABLE grants.instalments ADD CONSTRAINT instalments_amount_within_limit CHECK (amount <= 1000000000);
ALTER TABLE grants.disbursements ADD CONSTRAINT disbursements_amount_within_limit CHECK (amount <= 1000000000);
ALTER TABLE grants.household_usage ADD CONSTRAINT household_usage_within_limit CHECK (committed <= 1000000000);
ALTER TABLE grants.ledger_entries ADD CONSTRAINT ledger_entries_amount_within_limit CHECK (amount BETWEEN -1000000000 AND 1000000000);

-- One fund: every account at most 100 000 000 000.00 NOK either way. The budget source's balance is minus what the
-- fund took from the municipality's budget over its life, so that is limited too.
ALTER TABLE grants.accounts
    ADD CONSTRAINT fund_accounts_within_limit CHECK (balance BETWEEN -100000000000 AND 100000000000);

-- And available, reserved and paid together: money reserved or paid is still the fund's, so a fund that reserved some
-- cannot take in more than it has room for. A cross-row rule, so grants.post checks it, for each fund a posting puts
-- money into (a top-up, a reallocation; reserving, paying and releasing move money within one fund), after its
-- balance updates, and raises check_violation under the rule's name. Otherwise as in 0003.
CREATE OR REPLACE FUNCTION grants.post(
    p_transaction uuid, p_kind text, p_grant uuid, p_disbursement uuid, p_description text, p_recorded_by text,
    p_at timestamptz, p_funds uuid[], p_accounts text[], p_amounts numeric[],
    p_low_funds uuid[], p_low_message_ids uuid[], p_low_message_type text, p_trace_parent text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    i integer;
    v_legs integer := coalesce(cardinality(p_amounts), 0);
    v_account uuid;
    v_accounts uuid[] := '{}';
    v_balance numeric;
    v_in numeric := 0;
    v_lows integer := 0;
BEGIN
    INSERT INTO grants.ledger_transactions (id, kind, grant_id, disbursement_id, description, recorded_by, recorded_at)
    VALUES (p_transaction, p_kind, p_grant, p_disbursement, p_description, p_recorded_by, p_at);
    FOR i IN 1 .. v_legs LOOP
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
    -- Per fund (the caller orders the legs by fund), what the posting put into its available, reserved and paid.
    FOR i IN 1 .. v_legs LOOP
        IF p_accounts[i] <> 'budget-source' THEN
            v_in := v_in + p_amounts[i];
        END IF;
        IF i = v_legs OR p_funds[i + 1] <> p_funds[i] THEN
            IF v_in > 0 THEN
                SELECT sum(balance) INTO v_balance FROM grants.accounts WHERE fund_id = p_funds[i] AND kind <> 'budget-source';
                IF v_balance > 100000000000 THEN
                    RAISE EXCEPTION USING
                        ERRCODE = 'check_violation', SCHEMA = 'grants', TABLE = 'accounts', CONSTRAINT = 'fund_holdings_within_limit',
                        MESSAGE = format('fund %s would hold %s, more than 100000000000', p_funds[i], v_balance);
                END IF;
            END IF;
            v_in := 0;
        END IF;
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
