-- How many staged keys (not inserted by this batch) have a current revision with another value: what
-- LockChangedRevisions must lock. Read without locks, so that a batch of duplicates locks nothing.
SELECT count(*)
  FROM (SELECT DISTINCT ON (t.model, t.version, t.observed_at, t.segment, t.source) t.*
          FROM pg_temp.snapshot_staging t
         ORDER BY t.model, t.version, t.observed_at, t.segment, t.source, t.position) s
  JOIN orchestrator.model m ON m.name = s.model
  JOIN orchestrator.model_version v ON v.model_id = m.id AND v.version = s.version
  JOIN orchestrator.metric_snapshot x
    ON x.model_version_id = v.id AND x.observed_at = s.observed_at AND x.segment = s.segment AND x.source = s.source
 WHERE x.superseded_at IS NULL
   AND x.batch_id IS DISTINCT FROM :batch
   AND (x.sample_count <> s.sample_count OR x.metrics <> s.metrics)
