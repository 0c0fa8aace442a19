-- Appeals (klager) on grant decisions, as grants announces them (AppealReceived, AppealDecided), for "my work".
-- A row is made by whichever of the two arrives first (they may be reordered by retries): letter_id, received_on,
-- deadline and late are null until AppealReceived is here, decision and decided_at until AppealDecided is. An appeal waits for the municipality while it is received and has
-- no decision (status 'waiting'); AppealStore says why a forwarded one is not shown.
CREATE TABLE coordination.appeals (
    appeal_id   uuid        PRIMARY KEY,
    case_id     uuid        NOT NULL,
    grant_id    uuid        NOT NULL,
    letter_id   uuid        NULL,
    received_on date        NULL,
    deadline    date        NULL,
    late        boolean     NULL,
    decision    text        NULL,
    decided_at  timestamptz NULL,
    status      text        GENERATED ALWAYS AS (CASE WHEN decision IS NULL THEN 'waiting' WHEN decision = 'forwarded' THEN 'forwarded' ELSE 'decided' END) STORED,
    CHECK ((letter_id IS NULL) = (received_on IS NULL) AND (received_on IS NULL) = (deadline IS NULL) AND (deadline IS NULL) = (late IS NULL)),
    CHECK ((decision IS NULL) = (decided_at IS NULL)),
    CHECK (decision IS NOT NULL OR received_on IS NOT NULL)
);

CREATE INDEX appeals_waiting ON coordination.appeals (deadline) WHERE status = 'waiting';
