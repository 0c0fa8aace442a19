-- Transactional outbox: rows are written in the same transaction as the state change they announce,
-- and published by OutboxRelay with MessageId = id.
CREATE SCHEMA IF NOT EXISTS messaging;

CREATE TABLE messaging.outbox (
    id            uuid        PRIMARY KEY,
    message_type  text        NOT NULL,
    body          jsonb       NOT NULL,
    trace_parent  text        NULL,
    created_at    timestamptz NOT NULL,
    published_at  timestamptz NULL,
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text        NULL,
    -- Rows that can never be published (unknown type, unreadable body) are parked, not retried forever.
    parked_at     timestamptz NULL
);

CREATE INDEX outbox_pending ON messaging.outbox (created_at, id) WHERE published_at IS NULL AND parked_at IS NULL;
CREATE INDEX outbox_published ON messaging.outbox (published_at) WHERE published_at IS NOT NULL;

-- Inbox: one row per message and consumer, written in the same transaction as the consumer's effect,
-- so a redelivered message finds its row and has no second effect.
CREATE TABLE messaging.inbox (
    message_id   uuid        NOT NULL,
    consumer     text        NOT NULL,
    received_at  timestamptz NOT NULL,
    PRIMARY KEY (message_id, consumer)
);

CREATE INDEX inbox_received ON messaging.inbox (received_at);
