-- A person's record (name, birth date, id) belongs to the household whose worker entered it. The same identity
-- number in another household gets a record of its own there, linked to this one by the keyed hash alone, so
-- nothing one sector recorded is shown to or taken over by another (docs/security.md, Cases). Records shared by
-- two households before this rule stay shared: their first recorder's name cannot be told from the second's input,
-- which was never kept, and the number's sealed box is bound to the record's id.
DROP INDEX cases.persons_identity_number_lookup;

-- The keyed hash on the membership: a number is in a household once, and is found (look-up, "also in another
-- household", the benefits service's resolve) through the memberships. It must be the member's own record's hash.
ALTER TABLE cases.household_members ADD COLUMN identity_number_lookup bytea NULL;
UPDATE cases.household_members m SET identity_number_lookup = p.identity_number_lookup
FROM cases.persons p WHERE p.id = m.person_id;
ALTER TABLE cases.persons ADD CONSTRAINT persons_id_lookup UNIQUE (id, identity_number_lookup);
ALTER TABLE cases.household_members ADD CONSTRAINT household_members_person_lookup
    FOREIGN KEY (person_id, identity_number_lookup) REFERENCES cases.persons (id, identity_number_lookup);
CREATE UNIQUE INDEX household_members_one_number ON cases.household_members (household_id, identity_number_lookup)
    WHERE identity_number_lookup IS NOT NULL;
CREATE INDEX household_members_identity_number ON cases.household_members (identity_number_lookup)
    WHERE identity_number_lookup IS NOT NULL;
