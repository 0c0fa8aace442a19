-- Decision letters (vedtaksbrev): every decision on a grant is written to the family as a PDF/A letter, kept unchanged.

-- The rules a fund's decisions rest on, as the letter names them (forvaltningsloven § 25). The default fits a fund
-- for families' living costs under the social services act; a fund manager sets the fund's own.
ALTER TABLE grants.funds ADD COLUMN legal_basis text NOT NULL
    DEFAULT 'lov om sosiale tjenester i arbeids- og velferdsforvaltningen (sosialtjenesteloven) § 19 og kommunens retningslinjer for fondet'
    CHECK (length(legal_basis) BETWEEN 1 AND 500);

-- Names as the letter states who decided; subjects stay the identifiers.
ALTER TABLE grants.grants
    ADD COLUMN requested_by_name text NULL,
    ADD COLUMN requested_amount numeric(14,2) NULL CHECK (requested_amount > 0);

-- Nynorsk or bokmål per household (målform): cases does not record it, so grants keeps the choice its letters follow.
CREATE TABLE grants.household_letter_languages (
    household_id  uuid        PRIMARY KEY,
    language      text        NOT NULL CHECK (language IN ('nb', 'nn')),
    set_by        text        NOT NULL,
    set_at        timestamptz NOT NULL
);

-- One row per decision: the letter as issued. A correction or a changed decision is a new row naming the one it replaces.
CREATE TABLE grants.decision_letters (
    id                   uuid          PRIMARY KEY,
    grant_id             uuid          NOT NULL REFERENCES grants.grants (id),
    case_id              uuid          NOT NULL,
    outcome              text          NOT NULL CHECK (outcome IN ('innvilget', 'delvis-innvilget', 'avslatt', 'avvist')),
    language             text          NOT NULL CHECK (language IN ('nb', 'nn')),
    amount               numeric(14,2) NOT NULL CHECK (amount >= 0),
    deciders             text[]        NOT NULL CHECK (cardinality(deciders) BETWEEN 1 AND 2),
    received_on          date          NOT NULL,
    appeal_deadline      date          NOT NULL CHECK (appeal_deadline > received_on),
    replaces_letter_id   uuid          NULL UNIQUE REFERENCES grants.decision_letters (id),
    text                 text          NOT NULL,
    pdf                  bytea         NOT NULL,
    sha256               text          NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    issued_by            text          NOT NULL,
    issued_at            timestamptz   NOT NULL,
    CHECK (sha256 = encode(sha256(pdf), 'hex'))
);

CREATE INDEX decision_letters_grant ON grants.decision_letters (grant_id, issued_at);

-- Issued is final: what the family was sent is never edited or removed.
CREATE FUNCTION grants.reject_letter_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a decision letter is never changed once issued: % on % is not allowed (issue a new letter that replaces it)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER decision_letters_never_changed
    BEFORE UPDATE OR DELETE ON grants.decision_letters
    FOR EACH ROW EXECUTE FUNCTION grants.reject_letter_change();

CREATE TRIGGER decision_letters_never_truncated
    BEFORE TRUNCATE ON grants.decision_letters
    FOR EACH STATEMENT EXECUTE FUNCTION grants.reject_letter_change();
