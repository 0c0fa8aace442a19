-- Payments through the bank: a fund's debtor account, pain.001 payment files, and the bank's answers (pain.002, camt.054).
-- A disbursement now goes planned → sent (in a payment file) → paid | failed, besides planned → paid (by hand) | stopped | cancelled.

-- The account the fund's money leaves from (Norwegian 11-digit, mod-11 checked by the service).
ALTER TABLE grants.funds ADD COLUMN debtor_account text NULL CHECK (debtor_account ~ '^[0-9]{11}$');

-- One pain.001 file: the due payments of one fund, produced once and kept as sent to the bank.
CREATE TABLE grants.payment_files (
    id                        uuid          PRIMARY KEY,
    fund_id                   uuid          NOT NULL REFERENCES grants.funds (id),
    message_id                text          NOT NULL UNIQUE,
    requested_execution_date  date          NOT NULL,
    debtor_account            text          NOT NULL,
    number_of_payments        integer       NOT NULL CHECK (number_of_payments > 0),
    total                     numeric(16,2) NOT NULL CHECK (total > 0),
    document                  text          NOT NULL,
    created_by                text          NOT NULL,
    created_at                timestamptz   NOT NULL
);

CREATE INDEX payment_files_fund ON grants.payment_files (fund_id, created_at);

-- What each answer from the bank did, for the approver and the auditor (the report lists what did not match).
CREATE TABLE grants.bank_imports (
    id           uuid         PRIMARY KEY,
    fund_id      uuid         NOT NULL REFERENCES grants.funds (id),
    kind         text         NOT NULL CHECK (kind IN ('pain.002', 'camt.054')),
    message_id   text         NOT NULL,
    sha256       text         NOT NULL,
    report       jsonb        NOT NULL,
    imported_by  text         NOT NULL,
    imported_at  timestamptz  NOT NULL
);

CREATE INDEX bank_imports_fund ON grants.bank_imports (fund_id, imported_at);

-- The disbursements' own checks on status are replaced by named ones that know sent and failed.
DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'grants.disbursements'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%status%'
    LOOP
        EXECUTE format('ALTER TABLE grants.disbursements DROP CONSTRAINT %I', c.conname);
    END LOOP;
END $$;

ALTER TABLE grants.disbursements
    ADD COLUMN payment_file_id uuid NULL REFERENCES grants.payment_files (id),
    ADD COLUMN bank_status text NULL,
    ADD CONSTRAINT disbursements_status CHECK (status IN ('planned', 'sent', 'paid', 'failed', 'stopped', 'cancelled')),
    ADD CONSTRAINT disbursements_paid_has_date_and_reference
        CHECK ((status = 'paid') = (paid_on IS NOT NULL AND payment_reference IS NOT NULL)),
    ADD CONSTRAINT disbursements_ended_has_reason CHECK ((status IN ('stopped', 'cancelled', 'failed')) = (reason IS NOT NULL)),
    -- A payment in a file never leaves it, and one that went to the bank is answered by the bank (or by hand).
    ADD CONSTRAINT disbursements_sent_has_file CHECK (status NOT IN ('sent', 'failed') OR payment_file_id IS NOT NULL);

CREATE INDEX disbursements_due_by_fund ON grants.disbursements (fund_id, due_on) WHERE status = 'planned';
CREATE INDEX disbursements_by_file ON grants.disbursements (payment_file_id) WHERE payment_file_id IS NOT NULL;
