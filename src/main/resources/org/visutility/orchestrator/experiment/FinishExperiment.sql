-- The owner's last word on a run: succeeded or failed. Fenced by the version it holds.
UPDATE orchestrator.experiment
   SET status = :status, error = :error, finished_at = now(), heartbeat_at = now(), version = version + 1
 WHERE id = :id AND version = :version AND status = 'running'
