SELECT (SELECT count(*) FROM orchestrator.metric_snapshot) AS snapshots,
       (SELECT count(*) FROM orchestrator.metric_value) AS metric_values
