-- The status feed learns grants' decision letters (vedtakFattet) and appeals (the matter is considered again).
ALTER TABLE benefits.feed_facts DROP CONSTRAINT feed_facts_kind_check;
ALTER TABLE benefits.feed_facts ADD CONSTRAINT feed_facts_kind_check CHECK (kind IN (
    'case-opened', 'case-status-changed', 'case-closed',
    'grant-requested', 'grant-approved', 'grant-declined',
    'disbursement-planned', 'disbursement-paid', 'disbursement-stopped', 'disbursement-cancelled',
    'decision-letter-issued', 'appeal-received'));
