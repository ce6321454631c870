-- A staged snapshot that says final and repeats the value of its key's current, still provisional
-- revision settles that revision at :at (and its metric values): no new revision, since the value
-- did not change; before :at the window still reads as provisional.
WITH settled AS (
    UPDATE orchestrator.metric_snapshot x
       SET settled_at = coalesce(CAST(:at AS timestamptz), now())
      FROM pg_temp.snapshot_staging s
      JOIN orchestrator.model m ON m.name = s.model
      JOIN orchestrator.model_version v ON v.model_id = m.id AND v.version = s.version
     WHERE s.is_final
       AND x.model_version_id = v.id AND x.observed_at = s.observed_at AND x.segment = s.segment AND x.source = s.source
       AND x.superseded_at IS NULL AND x.settled_at IS NULL
       AND x.sample_count = s.sample_count AND x.metrics = s.metrics
    RETURNING x.id, x.observed_at
), settled_values AS (
    UPDATE orchestrator.metric_value v
       SET settled_at = coalesce(CAST(:at AS timestamptz), now())
      FROM settled t
     WHERE v.snapshot_id = t.id AND v.observed_at = t.observed_at
)
SELECT count(*) FROM settled
