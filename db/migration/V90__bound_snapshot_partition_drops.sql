-- Old snapshot history is dropped in bounded steps. V1's drop_snapshot_partitions_before(cutoff)
-- dropped every old partition in one transaction, taking a lock per partition and per index
-- until commit; with hundreds of partitions that exhausts PostgreSQL's lock table, which every
-- database on the server shares ("out of shared memory"), and the cleanup itself fails.

CREATE FUNCTION orchestrator.drop_snapshot_partitions_before(cutoff timestamptz, max_partitions integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    part    record;
    dropped integer := 0;
BEGIN
    IF max_partitions IS NULL OR max_partitions < 1 THEN
        RAISE EXCEPTION 'max_partitions must be at least 1, got %', coalesce(max_partitions::text, 'null')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR part IN
        SELECT c.relname
          FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
          JOIN pg_class p ON p.oid = i.inhparent
          JOIN pg_namespace n ON n.oid = p.relnamespace
         WHERE n.nspname = 'orchestrator'
           AND p.relname IN ('metric_snapshot', 'metric_value')
           AND to_date(right(c.relname, 7), 'YYYY_MM') + interval '1 month' <= cutoff AT TIME ZONE 'UTC'
         ORDER BY right(c.relname, 7), c.relname
         LIMIT max_partitions
    LOOP
        EXECUTE format('DROP TABLE orchestrator.%I', part.relname);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END $$;
COMMENT ON FUNCTION orchestrator.drop_snapshot_partitions_before(timestamptz, integer) IS 'Drops at most max_partitions monthly snapshot partitions (metric_snapshot and metric_value, oldest month first) whose month ends at or before the cutoff, in the caller''s transaction; returns how many it dropped (0: none is left before the cutoff).';

-- The one-argument form keeps its name and meaning per call, bounded: the oldest 64 partitions
-- (PostgreSQL's default max_locks_per_transaction) at most; call it again while it returns 64.
CREATE OR REPLACE FUNCTION orchestrator.drop_snapshot_partitions_before(cutoff timestamptz) RETURNS integer
LANGUAGE sql AS $$
    SELECT orchestrator.drop_snapshot_partitions_before(cutoff, 64)
$$;
COMMENT ON FUNCTION orchestrator.drop_snapshot_partitions_before(timestamptz) IS 'Drops the oldest monthly snapshot partitions whose month ends at or before the cutoff, at most 64 per call (one transaction); returns how many it dropped. CALL orchestrator.drop_snapshot_partitions_in_steps(cutoff) drops them all, committing between steps.';

-- Transaction control inside: run it with CALL outside an explicit transaction block.
CREATE PROCEDURE orchestrator.drop_snapshot_partitions_in_steps(cutoff timestamptz, per_step integer DEFAULT 16,
                                                                INOUT dropped integer DEFAULT 0)
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    dropped := coalesce(dropped, 0);
    LOOP
        n := orchestrator.drop_snapshot_partitions_before(cutoff, per_step);
        EXIT WHEN n = 0;
        dropped := dropped + n;
        -- each step's locks are released here, so no transaction ever holds more than per_step partitions'
        COMMIT;
    END LOOP;
END $$;
COMMENT ON PROCEDURE orchestrator.drop_snapshot_partitions_in_steps(timestamptz, integer, integer) IS 'Drops every monthly snapshot partition whose month ends at or before the cutoff, per_step partitions per transaction (it commits after each step; CALL it outside a transaction block); dropped returns how many in all.';
