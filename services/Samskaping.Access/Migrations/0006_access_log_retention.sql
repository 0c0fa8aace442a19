-- The access log's own retention (docs/privacy.md, "The access log's own retention"). Entries older than the
-- municipality's period leave the log through access.purge_access_log alone: the append-only trigger lets a DELETE
-- through only while that function runs (samskaping.access_log_retention set for its transaction). UPDATE and
-- TRUNCATE stay refused always. That guards against the service's own code paths, not against the database owner,
-- who could disable the trigger anyway.

-- One row per purge that removed entries: when, up to which time, how many, and who ordered it (the sweep or a
-- person's name for it, never personal data).
CREATE TABLE access.access_log_purges (
    id         uuid        PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    before     timestamptz NOT NULL,
    rows       integer     NOT NULL CHECK (rows > 0),
    purged_by  text        NOT NULL CHECK (char_length(purged_by) BETWEEN 1 AND 200)
);

-- The purge's scan, oldest first.
CREATE INDEX access_log_at ON access.access_log (at, id);

CREATE OR REPLACE FUNCTION access.reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND coalesce(current_setting('samskaping.access_log_retention', true), '') <> '' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'access.access_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE FUNCTION access.purge_access_log(p_before timestamptz, p_limit integer, p_purged_by text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_rows integer;
BEGIN
    IF p_before IS NULL OR p_limit IS NULL OR p_limit < 1 THEN
        RAISE EXCEPTION 'purge_access_log needs a cut-off and a limit of at least 1' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM set_config('samskaping.access_log_retention', 'on', true);
    DELETE FROM access.access_log
    WHERE id IN (SELECT id FROM access.access_log WHERE at < p_before ORDER BY at, id LIMIT p_limit FOR UPDATE SKIP LOCKED);
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    PERFORM set_config('samskaping.access_log_retention', '', true);
    IF v_rows > 0 THEN
        INSERT INTO access.access_log_purges (id, before, rows, purged_by)
        VALUES (gen_random_uuid(), p_before, v_rows, p_purged_by);
    END IF;
    RETURN v_rows;
END;
$$;
