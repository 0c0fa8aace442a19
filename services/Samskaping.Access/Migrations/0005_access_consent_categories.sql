-- The data categories a consent lets the covered sectors share, from ConsentGiven: a service withholds the parts of
-- its answers whose category no valid consent covering the caller's sector for the service's purpose names
-- (docs/privacy.md, "Consent: which purpose and which kinds of data gate what").
ALTER TABLE access.case_consents ADD COLUMN data_categories text[] NOT NULL DEFAULT '{}';
