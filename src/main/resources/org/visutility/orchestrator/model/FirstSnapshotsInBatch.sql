-- Of the given versions, those the batch inserted snapshots of, with the newest and how many.
SELECT s.model_version_id, max(s.observed_at) AS newest, count(*) AS snapshots
  FROM orchestrator.metric_snapshot s
 WHERE s.model_version_id = ANY (CAST(:versions AS bigint[])) AND s.batch_id = :batch
 GROUP BY s.model_version_id
