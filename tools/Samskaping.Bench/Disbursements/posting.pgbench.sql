-- pgbench -M prepared -f posting.pgbench.sql -D fund=<uuid> -D fundlow=<type name>  (autocommit)
-- One reserve posting of 1 NOK on the benchmark fund: the very call the grants service sends for an approval's
-- reservation (FundLedger.Prepare → grants.post, migration 0011), here as a one-statement transaction, i.e. the call and
-- its COMMIT in one round trip, as the service sends them.
SELECT grants.post(gen_random_uuid(), 'reserve', NULL, NULL, 'bench', 'bench', now(),
    ARRAY[:fund::uuid, :fund::uuid], ARRAY['available', 'reserved'], ARRAY[-1, 1]::numeric[],
    ARRAY[:fund::uuid], ARRAY[gen_random_uuid()], :fundlow::text, NULL);
