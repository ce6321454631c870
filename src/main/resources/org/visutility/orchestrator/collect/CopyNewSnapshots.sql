COPY orchestrator.metric_snapshot (id, model_id, model_version_id, observed_at, segment, source, sample_count, metrics, batch_id, settled_at) FROM STDIN (FORMAT binary)
