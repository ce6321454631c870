-- Of the given versions, those the batch inserted snapshots of, with the newest and how many.
-- Only first revisions count: a revision corrects an old window, it does not show the version serving.
SELECT s.model_version_id, max(s.observed_at) AS newest, count(*) AS snapshots
  FROM orchestrator.metric_snapshot s
 WHERE s.model_version_id = ANY (CAST(:versions AS bigint[])) AND s.batch_id = :batch AND s.revision = 1
 GROUP BY s.model_version_id
