-- A cluster-wide job's run ended without error, on node :node (GET /health and /metrics read it).
INSERT INTO orchestrator.job_run (job, last_success_at, last_success_node)
VALUES (:job, now(), :node)
ON CONFLICT (job) DO UPDATE
   SET last_success_at = excluded.last_success_at, last_success_node = excluded.last_success_node
