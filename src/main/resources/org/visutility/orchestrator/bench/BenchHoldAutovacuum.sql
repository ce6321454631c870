-- Benchmark only, on its scratch database: no autovacuum on the tables the phases write (each leaf
-- partition of the snapshot tables, and the tables a batch also writes). Every phase empties them
-- before the next (TRUNCATE leaves no dead rows), so a vacuum or analyze started by one phase's rows
-- would only take a core and the disk from a later phase at a moment no phase chooses.
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN
        SELECT relid FROM pg_partition_tree('orchestrator.metric_snapshot') WHERE isleaf
        UNION ALL
        SELECT relid FROM pg_partition_tree('orchestrator.metric_value') WHERE isleaf
        UNION ALL
        SELECT unnest(CAST(ARRAY['orchestrator.snapshot_latest', 'orchestrator.ingest_batch'] AS regclass[]))
    LOOP
        EXECUTE format('ALTER TABLE %s SET (autovacuum_enabled = false)', t);
    END LOOP;
END
$$
