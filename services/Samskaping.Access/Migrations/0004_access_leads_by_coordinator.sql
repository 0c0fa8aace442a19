-- "Cases I lead": a worker's own work list and my-work find their cases through this index, not by reading every lead.
CREATE INDEX case_leads_coordinator ON access.case_leads (coordinator);
