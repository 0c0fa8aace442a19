-- Funds, grants, disbursements and the double-entry ledger that can never overspend a fund.

-- What grants knows of a case: its household (for the per-household cap) and whether it has closed.
-- A CaseClosed may arrive before its CaseOpened, so the opening columns may be empty for a while.
ALTER TABLE grants.cases
    ALTER COLUMN opened_by_sector DROP NOT NULL,
    ALTER COLUMN opened_at DROP NOT NULL,
    ADD COLUMN household_id uuid NULL,
    ADD COLUMN closed_at timestamptz NULL;

-- A fund (pott): a budget pot of a sector or programme for a period. Its money is never a column here:
-- it lives in the fund's ledger accounts, and moves only by ledger transactions.
CREATE TABLE grants.funds (
    id                        uuid          PRIMARY KEY,
    name                      text          NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    owner                     text          NOT NULL CHECK (length(owner) BETWEEN 1 AND 100),
    period_start              date          NOT NULL,
    period_end                date          NOT NULL,
    approval_threshold        numeric(14,2) NOT NULL CHECK (approval_threshold >= 0),
    household_cap             numeric(14,2) NOT NULL CHECK (household_cap > 0),
    low_balance_threshold     numeric(14,2) NOT NULL CHECK (low_balance_threshold >= 0),
    report_to_benefit_system  boolean       NOT NULL,
    created_by                text          NOT NULL,
    created_at                timestamptz   NOT NULL,
    -- Set when FundLow was announced for the current dip below the threshold; cleared when it rises again,
    -- so FundLow is published once per crossing.
    low_since                 timestamptz   NULL,
    CHECK (period_end > period_start)
);

-- Per fund: what is available, reserved (approved, not yet paid) and paid; plus the budget source, the
-- outside world the money comes from, so that every transaction sums to zero.
CREATE TABLE grants.accounts (
    id       uuid          PRIMARY KEY,
    fund_id  uuid          NOT NULL REFERENCES grants.funds (id),
    kind     text          NOT NULL CHECK (kind IN ('budget-source', 'available', 'reserved', 'paid')),
    balance  numeric(14,2) NOT NULL DEFAULT 0,
    UNIQUE (fund_id, kind),
    -- A fund can never go below zero available (nor reserve or pay more than it has), whatever the code does.
    CONSTRAINT fund_accounts_never_negative CHECK (kind = 'budget-source' OR balance >= 0)
);

CREATE TABLE grants.ledger_transactions (
    id               uuid        PRIMARY KEY,
    kind             text        NOT NULL CHECK (kind IN ('top-up', 'reallocation', 'reserve', 'pay', 'release')),
    grant_id         uuid        NULL,
    disbursement_id  uuid        NULL,
    description      text        NOT NULL,
    recorded_by      text        NOT NULL,
    recorded_at      timestamptz NOT NULL
);

-- Signed amounts: positive adds to an account's balance, negative takes from it.
CREATE TABLE grants.ledger_entries (
    transaction_id  uuid          NOT NULL REFERENCES grants.ledger_transactions (id),
    account_id      uuid          NOT NULL REFERENCES grants.accounts (id),
    amount          numeric(14,2) NOT NULL CHECK (amount <> 0),
    PRIMARY KEY (transaction_id, account_id)
);

CREATE INDEX ledger_entries_account ON grants.ledger_entries (account_id);

-- Append-only: a correction is a reversing transaction, never an edit.
CREATE FUNCTION grants.reject_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER ledger_transactions_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON grants.ledger_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION grants.reject_ledger_change();

CREATE TRIGGER ledger_entries_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON grants.ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION grants.reject_ledger_change();

-- Double entry, checked at commit: every transaction has entries and they sum to zero.
CREATE FUNCTION grants.check_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    total numeric;
    entries integer;
BEGIN
    SELECT coalesce(sum(amount), 0), count(*) INTO total, entries
    FROM grants.ledger_entries WHERE transaction_id = NEW.transaction_id;
    IF entries < 2 OR total <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (% entries, sum %)', NEW.transaction_id, entries, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER ledger_entries_balanced
    AFTER INSERT ON grants.ledger_entries
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION grants.check_transaction_balanced();

CREATE FUNCTION grants.check_transaction_has_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM grants.ledger_entries WHERE transaction_id = NEW.id) THEN
        RAISE EXCEPTION 'ledger transaction % has no entries', NEW.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER ledger_transactions_have_entries
    AFTER INSERT ON grants.ledger_transactions
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION grants.check_transaction_has_entries();

-- A grant request (pengestønad) for a case's household, with the purpose in the family's own words.
CREATE TABLE grants.grants (
    id                   uuid          PRIMARY KEY,
    case_id              uuid          NOT NULL REFERENCES grants.cases (case_id),
    household_id         uuid          NOT NULL,
    fund_id              uuid          NOT NULL REFERENCES grants.funds (id),
    amount               numeric(14,2) NOT NULL CHECK (amount > 0),
    purpose              text          NOT NULL CHECK (length(purpose) BETWEEN 1 AND 2000),
    category             text          NULL,
    payee_kind           text          NOT NULL CHECK (payee_kind IN ('family', 'third-party')),
    payee_name           text          NOT NULL,
    account_number       text          NOT NULL CHECK (account_number ~ '^[0-9]{11}$'),
    organisation_number  text          NULL CHECK (organisation_number ~ '^[0-9]{9}$'),
    status               text          NOT NULL CHECK (status IN ('requested', 'approved', 'declined')),
    requested_by         text          NOT NULL,
    requested_by_sector  text          NOT NULL,
    requested_at         timestamptz   NOT NULL,
    decided_by           text          NULL,
    second_approver      text          NULL,
    decided_at           timestamptz   NULL,
    decline_reason       text          NULL,
    CHECK ((payee_kind = 'third-party') = (organisation_number IS NOT NULL)),
    CHECK ((status = 'requested') = (decided_at IS NULL)),
    CHECK ((status = 'declined') = (decline_reason IS NOT NULL)),
    -- Four eyes, in the database too: a second approver is never the requester.
    CHECK (second_approver IS NULL OR second_approver <> requested_by)
);

CREATE INDEX grants_case ON grants.grants (case_id);
CREATE INDEX grants_household ON grants.grants (household_id, requested_at);
CREATE INDEX grants_fund ON grants.grants (fund_id);

-- The payment plan as requested: one instalment for a one-off grant.
CREATE TABLE grants.instalments (
    grant_id  uuid          NOT NULL REFERENCES grants.grants (id),
    number    integer       NOT NULL CHECK (number >= 1),
    amount    numeric(14,2) NOT NULL CHECK (amount > 0),
    due_on    date          NULL,
    PRIMARY KEY (grant_id, number)
);

-- Utbetaling: planned → paid | stopped | cancelled, each change a ledger transaction.
CREATE TABLE grants.disbursements (
    id                 uuid          PRIMARY KEY,
    grant_id           uuid          NOT NULL REFERENCES grants.grants (id),
    case_id            uuid          NOT NULL,
    fund_id            uuid          NOT NULL REFERENCES grants.funds (id),
    number             integer       NOT NULL,
    amount             numeric(14,2) NOT NULL CHECK (amount > 0),
    due_on             date          NOT NULL,
    status             text          NOT NULL CHECK (status IN ('planned', 'paid', 'stopped', 'cancelled')),
    planned_at         timestamptz   NOT NULL,
    paid_on            date          NULL,
    payment_reference  text          NULL,
    reason             text          NULL,
    changed_by         text          NULL,
    changed_at         timestamptz   NULL,
    UNIQUE (grant_id, number),
    CHECK ((status = 'paid') = (paid_on IS NOT NULL AND payment_reference IS NOT NULL)),
    CHECK ((status IN ('stopped', 'cancelled')) = (reason IS NOT NULL))
);

CREATE INDEX disbursements_planned_by_case ON grants.disbursements (case_id) WHERE status = 'planned';

-- What a household has been granted from a fund in its period (approved, less what was stopped or
-- cancelled). The cap is enforced by a conditional update of this row, which also serialises decisions
-- for one household and fund.
CREATE TABLE grants.household_usage (
    fund_id       uuid          NOT NULL REFERENCES grants.funds (id),
    household_id  uuid          NOT NULL,
    committed     numeric(14,2) NOT NULL DEFAULT 0 CHECK (committed >= 0),
    PRIMARY KEY (fund_id, household_id)
);

-- Idempotency-Key: the first answer to a money-moving request, replayed for a retry with the same key.
CREATE TABLE grants.idempotency_keys (
    key            text        PRIMARY KEY,
    subject        text        NOT NULL,
    request_hash   text        NOT NULL,
    status_code    integer     NULL,
    response_body  text        NULL,
    location       text        NULL,
    created_at     timestamptz NOT NULL
);

CREATE INDEX idempotency_keys_created ON grants.idempotency_keys (created_at);
