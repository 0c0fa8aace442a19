-- The lookup key rotates (docs/operations.md, Key rotation). A person's record holds its keyed hash under the key
-- identity_number_lookup_key_id names (every hash stored before lookup key ids existed is under key 1) and, while two
-- lookup keys are configured, a second hash under the other one; the membership carries both, as it carries the first.
-- Look-ups and the links between households match any hash of one row with any of the other (LookupSql), so nobody
-- is unfindable while the rehash job (IdentityNumberRehash) moves the rows to the new key.
ALTER TABLE cases.persons
    ADD COLUMN identity_number_lookup_key_id integer NOT NULL DEFAULT 1,
    ADD COLUMN identity_number_lookup_other bytea NULL,
    ADD COLUMN identity_number_lookup_other_key_id integer NULL,
    ADD CONSTRAINT persons_lookup_other_key CHECK (
        (identity_number_lookup_other IS NULL) = (identity_number_lookup_other_key_id IS NULL)
        AND (identity_number_lookup_other IS NULL OR identity_number_lookup IS NOT NULL)
        AND identity_number_lookup_other_key_id IS DISTINCT FROM identity_number_lookup_key_id);
ALTER TABLE cases.household_members
    ADD COLUMN identity_number_lookup_other bytea NULL,
    ADD CONSTRAINT household_members_lookup_other CHECK (identity_number_lookup_other IS NULL OR identity_number_lookup IS NOT NULL);

CREATE INDEX household_members_identity_number_other ON cases.household_members (identity_number_lookup_other)
    WHERE identity_number_lookup_other IS NOT NULL;
CREATE INDEX persons_lookup_key_ids ON cases.persons (identity_number_lookup_key_id, identity_number_lookup_other_key_id)
    WHERE identity_number_lookup IS NOT NULL;

-- Whatever takes a number's hash away (the anonymisation, cases.anonymise_case) takes every hash of it: a row never
-- keeps a second hash of a number it no longer has.
CREATE FUNCTION cases.clear_other_lookup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.identity_number_lookup IS NULL THEN
        NEW.identity_number_lookup_other := NULL;
        IF TG_TABLE_NAME = 'persons' THEN
            NEW.identity_number_lookup_other_key_id := NULL;
        END IF;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER persons_clear_other_lookup BEFORE UPDATE OF identity_number_lookup ON cases.persons
    FOR EACH ROW EXECUTE FUNCTION cases.clear_other_lookup();
CREATE TRIGGER household_members_clear_other_lookup BEFORE UPDATE OF identity_number_lookup ON cases.household_members
    FOR EACH ROW EXECUTE FUNCTION cases.clear_other_lookup();
