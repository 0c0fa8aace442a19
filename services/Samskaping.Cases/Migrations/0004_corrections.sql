-- retting: every correction of a household's, a member's or the family's own words, with what was there before, who
-- corrected it, when and why (GDPR art. 16; docs/privacy.md). A row is one field of one record. The previous value
-- is kept in clear, except an identity number: its previous sealed box is kept as it was (bound to the person's id,
-- so only this record can open it) and neither the old nor the new number is ever written here in clear.
CREATE TABLE cases.corrections (
    id                          uuid        PRIMARY KEY,
    case_id                     uuid        NOT NULL REFERENCES cases.cases (id),
    household_id                uuid        NOT NULL REFERENCES cases.households (id),
    person_id                   uuid        NULL REFERENCES cases.persons (id),
    -- the corrected record: the household, the member (person), the need, the resource or the goal
    subject_id                  uuid        NOT NULL,
    field                       text        NOT NULL CHECK (field IN ('household-name', 'member-name', 'member-birth-date', 'member-role',
                                    'member-guardians', 'member-identity-number', 'need-text', 'resource-text', 'goal-text')),
    previous_value              text        NULL,
    new_value                   text        NULL,
    previous_identity_number    bytea       NULL,
    reason                      text        NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 2000),
    corrected_by                text        NOT NULL,
    corrected_by_sector         text        NOT NULL,
    corrected_at                timestamptz NOT NULL,
    CHECK ((field = 'member-identity-number') OR previous_identity_number IS NULL),
    CHECK ((field <> 'member-identity-number') OR (previous_value IS NULL AND new_value IS NULL)),
    CHECK ((field LIKE 'member-%') = (person_id IS NOT NULL))
);
CREATE INDEX corrections_person ON cases.corrections (person_id, corrected_at) WHERE person_id IS NOT NULL;
CREATE INDEX corrections_household ON cases.corrections (household_id, corrected_at);

-- The history of corrections is itself never corrected: append-only, as the access log.
CREATE FUNCTION cases.reject_correction_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'cases.corrections is append-only: % is not allowed (record a new correction instead)', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER corrections_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON cases.corrections
    FOR EACH STATEMENT EXECUTE FUNCTION cases.reject_correction_change();

-- A corrected identity number moves the membership's keyed hash with it, so the look-ups (and the benefits
-- service's resolve) find the person by the new number and no longer by the old one.
ALTER TABLE cases.household_members DROP CONSTRAINT household_members_person_lookup;
ALTER TABLE cases.household_members ADD CONSTRAINT household_members_person_lookup
    FOREIGN KEY (person_id, identity_number_lookup) REFERENCES cases.persons (id, identity_number_lookup) ON UPDATE CASCADE;
