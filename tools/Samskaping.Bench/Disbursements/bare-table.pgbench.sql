-- pgbench -M prepared -f bare-table.pgbench.sql -D account=<uuid>  (autocommit)
-- The same conditional debit on a table of the benchmark's own (id, balance, CHECK (balance >= 0)): a baseline that no
-- change to the ledger's tables can move.
UPDATE bare_account SET balance = balance - 1 WHERE id = :account::uuid AND balance >= 1;
