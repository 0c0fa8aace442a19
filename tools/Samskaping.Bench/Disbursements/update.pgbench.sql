-- pgbench -M prepared -f update.pgbench.sql -D fund=<uuid>  (autocommit)
-- The headline's baseline: the ledger's conditional debit of a fund (grants.post, migrations 0011 and 0012) alone — no ledger
-- transaction, no entries — as a prepared statement.
UPDATE grants.fund_balances SET available = available - 1 WHERE fund_id = :fund::uuid AND available >= 1;
