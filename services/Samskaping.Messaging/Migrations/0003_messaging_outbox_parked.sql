-- Parked rows wait for an operator (docs/operations.md, "Parked outbox rows"); the backlog gauge counts them at every
-- reading, which must not scan the published rows still kept.
CREATE INDEX outbox_parked ON messaging.outbox (parked_at) WHERE parked_at IS NOT NULL;
