-- Staged snapshots whose key's current revision is stored with a different sample count or different metric values
-- (jsonb equality: key order and number spelling do not matter). Run only when some staged
-- snapshots were not new; the rest of those are plain duplicates.
SELECT s.position, s.model, s.version, s.observed_at, s.segment, s.source
  FROM pg_temp.snapshot_staging s
  JOIN orchestrator.model m ON m.name = s.model
  JOIN orchestrator.model_version v ON v.model_id = m.id AND v.version = s.version
  JOIN orchestrator.metric_snapshot x
    ON x.model_version_id = v.id AND x.observed_at = s.observed_at AND x.segment = s.segment AND x.source = s.source
   AND x.superseded_at IS NULL
 WHERE x.sample_count <> s.sample_count OR x.metrics <> s.metrics
 ORDER BY s.position
 LIMIT :limit
