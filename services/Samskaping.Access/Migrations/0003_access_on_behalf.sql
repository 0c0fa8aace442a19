-- A service reading for a worker (benefits' look-up asking cases for a household's members) is subject, role and
-- sector of its entry; the worker it read for, and their sector, are kept here (the case is case_id), so a person's
-- history names the worker and not only the service.
ALTER TABLE access.access_log
    ADD COLUMN on_behalf_of        text NULL,
    ADD COLUMN on_behalf_of_sector text NULL;
