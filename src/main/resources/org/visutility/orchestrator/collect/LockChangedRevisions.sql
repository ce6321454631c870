-- The current revision of each staged key whose value changed (its sample count or metrics differ
-- from the first staged snapshot of the key; jsonb equality: key order and number spelling do not
-- matter), locked in key order so that concurrent batches revising the same keys queue up instead
-- of deadlocking. Keys this batch inserted are left out. A row another batch superseded while this
-- one waited is skipped by the lock; the writer counts again (CountChangedRevisions) and retries.
SELECT s.position, s.model, s.version, s.observed_at, s.segment, s.source, x.id, x.revision, x.settled_at
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
 ORDER BY v.id, s.observed_at, s.segment, s.source
   FOR UPDATE OF x
