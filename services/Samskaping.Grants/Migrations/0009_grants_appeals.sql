-- Appeals (klager) on decisions: registered with the family's words, decided by the municipality (reversed, a new
-- decision and letter) or forwarded to statsforvalteren, whose outcome is recorded.
CREATE TABLE grants.appeals (
    id                   uuid        PRIMARY KEY,
    grant_id             uuid        NOT NULL REFERENCES grants.grants (id),
    case_id              uuid        NOT NULL,
    letter_id            uuid        NOT NULL REFERENCES grants.decision_letters (id),
    received_on          date        NOT NULL,
    appellant            text        NOT NULL CHECK (length(appellant) BETWEEN 1 AND 200),
    text                 text        NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
    deadline             date        NOT NULL,
    late                 boolean     NOT NULL,
    status               text        NOT NULL CHECK (status IN ('received', 'reversed', 'forwarded', 'decided')),
    registered_by        text        NOT NULL,
    registered_at        timestamptz NOT NULL,
    new_letter_id        uuid        NULL REFERENCES grants.decision_letters (id),
    forward_note         text        NULL,
    outcome              text        NULL CHECK (outcome IN ('upheld', 'changed', 'quashed', 'dismissed')),
    outcome_on           date        NULL,
    outcome_note         text        NULL,
    decided_by           text        NULL,
    decided_at           timestamptz NULL,
    CHECK (late = (received_on > deadline)),
    CHECK ((status = 'reversed') = (new_letter_id IS NOT NULL)),
    CHECK ((status = 'decided') = (outcome IS NOT NULL AND outcome_on IS NOT NULL)),
    CHECK ((status = 'received') = (decided_at IS NULL))
);

-- One appeal at a time on a decision: a second one is added to the open one, not registered beside it.
CREATE UNIQUE INDEX appeals_one_open_per_letter ON grants.appeals (letter_id) WHERE status IN ('received', 'forwarded');
CREATE INDEX appeals_waiting ON grants.appeals (case_id) WHERE status IN ('received', 'forwarded');
CREATE INDEX appeals_grant ON grants.appeals (grant_id, registered_at);
