-- Policy evaluation reads windows of metric_value by index alone (index-only scans), including the
-- snapshot ids it keeps as evidence: the lookup index now carries snapshot_id too.
DROP INDEX orchestrator.metric_value_lookup;
CREATE INDEX metric_value_lookup ON orchestrator.metric_value (model_id, metric, observed_at DESC)
    INCLUDE (value, sample_count, model_version_id, snapshot_id);

-- A drop-from-baseline condition reads a model version's first K snapshots of a metric: a forward
-- scan of this index, whatever the length of the history.
CREATE INDEX metric_value_version_first ON orchestrator.metric_value (model_version_id, metric, observed_at)
    INCLUDE (value, sample_count, snapshot_id);
