-- What operators did to messages that could not be delivered (docs/operations.md, "Error queue", "Parked outbox
-- rows"): who replayed or discarded which message, when and why. Append-only, like the access log; it names messages
-- by id and type only.
CREATE TABLE messaging.operator_actions (
    id            uuid        PRIMARY KEY,
    at            timestamptz NOT NULL,
    actor         text        NOT NULL,
    action        text        NOT NULL CHECK (action IN ('replay', 'discard')),
    source        text        NOT NULL CHECK (source IN ('error-queue', 'outbox')),
    message_id    uuid        NOT NULL,
    message_type  text        NOT NULL,
    reason        text        NULL,
    -- A discard always says why: a message that is thrown away must be explainable afterwards.
    CHECK (action <> 'discard' OR (reason IS NOT NULL AND btrim(reason) <> ''))
);

CREATE INDEX operator_actions_at ON messaging.operator_actions (at);
CREATE INDEX operator_actions_message ON messaging.operator_actions (message_id);

-- A copy of every discarded message, exactly as it was (the error queue's headers and body, or the outbox row), so
-- a discard can be looked into and undone by hand; never cleaned up by the relay.
CREATE TABLE messaging.discarded_messages (
    action_id     uuid        PRIMARY KEY REFERENCES messaging.operator_actions (id),
    source        text        NOT NULL,
    message_id    uuid        NOT NULL,
    message_type  text        NOT NULL,
    case_id       uuid        NULL,
    headers       jsonb       NULL,
    body          bytea       NOT NULL,
    content_type  text        NULL,
    created_at    timestamptz NULL,
    last_error    text        NULL
);

-- Append-only, enforced by the database: an audit trail that can be edited proves nothing. The copies too: they are
-- what the audit points at.
CREATE FUNCTION messaging.reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'messaging.% is append-only', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER operator_actions_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON messaging.operator_actions
    FOR EACH STATEMENT EXECUTE FUNCTION messaging.reject_change();

CREATE TRIGGER discarded_messages_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON messaging.discarded_messages
    FOR EACH STATEMENT EXECUTE FUNCTION messaging.reject_change();
