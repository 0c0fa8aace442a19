-- An Idempotency-Key is the caller's own, as payment APIs scope it: the same key from two workers is two requests,
-- each answered as its own first use, never one worker's refusal or replay of another's.
ALTER TABLE grants.idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE grants.idempotency_keys ADD PRIMARY KEY (subject, key);
