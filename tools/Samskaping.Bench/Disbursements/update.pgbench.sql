-- pgbench -f update.pgbench.sql -D account=<uuid>  (simple protocol, autocommit)
-- The floor: only the conditional debit of the fund's available account, no ledger at all.
UPDATE grants.accounts SET balance = balance - 1 WHERE id = ':account' AND balance >= 1;
