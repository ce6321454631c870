-- Puts a failed experiment back in the queue; its run restarts from the last committed trial.
UPDATE orchestrator.experiment
   SET status = 'queued', error = NULL, finished_at = NULL, owner = NULL, heartbeat_at = NULL,
       dispatched_at = NULL, version = version + 1
 WHERE id = :id AND status = 'failed'
RETURNING id
