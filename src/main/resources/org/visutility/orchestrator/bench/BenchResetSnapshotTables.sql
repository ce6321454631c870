-- Benchmark only, on its scratch database: every phase starts from the same empty tables.
TRUNCATE orchestrator.metric_snapshot, orchestrator.metric_value, orchestrator.ingest_batch, orchestrator.collector_watermark
