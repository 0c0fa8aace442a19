-- A response the person sent themselves (or a guardian for a child), from the family's own pages: whether they chose
-- to share a negative effect with the lead coordinator ("del med stafettholderen"). NULL for a response a worker
-- recorded, where the family was with the worker and no such choice was asked. Whether it is NULL also decides
-- whether staff reads withhold the individual answers on the sensitive domains (docs/architecture.md §8).
ALTER TABLE outcomes.responses ADD COLUMN shared_with_lead boolean NULL;
