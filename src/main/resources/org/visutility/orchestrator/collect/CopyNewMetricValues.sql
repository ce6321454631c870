COPY orchestrator.metric_value (snapshot_id, observed_at, model_id, model_version_id, metric, value, sample_count, settled_at) FROM STDIN (FORMAT binary)
