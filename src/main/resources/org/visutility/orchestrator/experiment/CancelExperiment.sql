-- Cancels a queued or running experiment. The version bump makes the owner's next fenced write fail,
-- and its heartbeat tells it to stop its trainers.
UPDATE orchestrator.experiment
   SET status = 'cancelled', error = :reason, finished_at = now(), version = version + 1
 WHERE id = :id AND status IN ('queued', 'running')
RETURNING id
