-- Puts a failed experiment back in the queue; its run restarts from the last committed trial. A
-- restart by hand is a fresh start for the rescue count.
UPDATE orchestrator.experiment
   SET status = 'queued', error = NULL, finished_at = NULL, owner = NULL, heartbeat_at = NULL,
       dispatched_at = NULL, version = version + 1, rescues = 0
 WHERE id = :id AND status = 'failed'
RETURNING id
