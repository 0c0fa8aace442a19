-- Where a measurement lies in the case's schedule: baseline, then the follow-ups by month, then closing. "Latest"
-- for change means the furthest point answered, not the last answer recorded: a missed 3-month follow-up caught up
-- after the 6-month one must not become the person's latest picture.
ALTER TABLE outcomes.measurements
    ADD COLUMN schedule_point int GENERATED ALWAYS AS (
        CASE kind WHEN 'baseline' THEN 0 WHEN 'follow-up' THEN offset_months WHEN 'closing' THEN 2147483647 END) STORED;
