-- The kind of a person's data an entry holds (a DataCategories code), when its author says so: a reader whose consents
-- do not name the category is told the entry exists, by whom and when, but not its text (docs/privacy.md, "Consent:
-- which purpose and which kinds of data gate what"). Entries written before this column, and the service's own entries,
-- have none. Adding a nullable column rewrites no row, so the append-only trigger is not involved.
ALTER TABLE coordination.relay_log ADD COLUMN category text NULL
    CHECK (category IN ('contact', 'needs', 'health', 'school', 'economy', 'family'));
