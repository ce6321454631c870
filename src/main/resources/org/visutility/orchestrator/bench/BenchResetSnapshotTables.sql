-- Benchmark only, on its scratch database: every phase starts from the same empty tables.
-- CASCADE also empties what references them (distribution_snapshot references ingest_batch, and
-- distribution_score distribution_snapshot: a plain TRUNCATE is refused); the scratch database
-- holds nothing else of value. snapshot_latest would otherwise keep rows of the removed snapshots.
TRUNCATE orchestrator.metric_snapshot, orchestrator.metric_value, orchestrator.snapshot_latest, orchestrator.ingest_batch,
         orchestrator.collector_watermark, orchestrator.collector_rejects CASCADE
