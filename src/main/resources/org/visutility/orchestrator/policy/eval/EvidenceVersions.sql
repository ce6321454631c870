-- The model version each evidence snapshot observed, and when it was observed (snapshot ids from the
-- decisions recorded in one pass).
SELECT s.id AS snapshot_id, s.observed_at, v.id AS version_id, v.version
  FROM orchestrator.metric_snapshot s
  JOIN orchestrator.model_version v ON v.id = s.model_version_id
 WHERE s.id = ANY (:ids)
