-- The work list narrowed to a worker's own cases, and the name search, go through these indexes instead of walking
-- every case newest first (CaseStore.WorkList). pg_trgm is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX households_name_search_trigrams ON cases.households USING gin (name_search gin_trgm_ops);
CREATE INDEX persons_name_search_trigrams ON cases.persons USING gin (name_search gin_trgm_ops);
CREATE INDEX cases_opened_by ON cases.cases (opened_by);
