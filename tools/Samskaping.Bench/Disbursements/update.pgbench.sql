-- pgbench -M prepared -f update.pgbench.sql -D account=<uuid>  (autocommit)
-- The headline's baseline: the bare conditional debit of one account, no ledger at all, as a prepared statement.
UPDATE grants.accounts SET balance = balance - 1 WHERE id = :account::uuid AND balance >= 1;
