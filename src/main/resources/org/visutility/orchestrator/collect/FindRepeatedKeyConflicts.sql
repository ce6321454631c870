-- Staged snapshots whose key was given earlier in the same input with a different sample count or
-- different metrics: which of the two is the revision cannot be told, so the input is rejected.
SELECT s.position, s.model, s.version, s.observed_at, s.segment, s.source
  FROM (SELECT t.*,
               first_value(t.sample_count) OVER w AS first_count,
               first_value(t.metrics) OVER w AS first_metrics
          FROM pg_temp.snapshot_staging t
        WINDOW w AS (PARTITION BY t.model, t.version, t.observed_at, t.segment, t.source ORDER BY t.position)) s
 WHERE s.sample_count <> s.first_count OR s.metrics <> s.first_metrics
 ORDER BY s.position
 LIMIT :limit
