-- A cluster-wide job's run ended with an error, on node :node; its last success stays as it was.
INSERT INTO orchestrator.job_run (job, last_failure_at, last_failure_node, last_error)
VALUES (:job, now(), :node, :error)
ON CONFLICT (job) DO UPDATE
   SET last_failure_at = excluded.last_failure_at, last_failure_node = excluded.last_failure_node,
       last_error = excluded.last_error
