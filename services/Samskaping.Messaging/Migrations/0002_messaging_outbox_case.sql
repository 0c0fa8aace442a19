-- The case a row is about (ICaseMessage), by which the relay keeps one case's rows in order; NULL for a message
-- about no case. And the message type as "Namespace.Type", without the assembly (MessageTypes).
ALTER TABLE messaging.outbox ADD COLUMN case_id uuid NULL;

-- Rows written before: the type without its assembly, and the case of the rows still to be published from their body.
UPDATE messaging.outbox SET message_type = split_part(message_type, ',', 1) WHERE message_type LIKE '%,%';
UPDATE messaging.outbox SET case_id = (body ->> 'caseId')::uuid
WHERE published_at IS NULL AND parked_at IS NULL
  AND jsonb_typeof(body) = 'object'
  AND body ->> 'caseId' ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
