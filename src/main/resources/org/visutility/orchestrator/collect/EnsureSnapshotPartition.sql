-- Creates the monthly partitions of metric_snapshot and metric_value holding :month, if missing.
SELECT count(*) FROM orchestrator.ensure_snapshot_partition(:month)
