-- A stopping node hands a running experiment back to the queue; the next node restarts it from its checkpoint.
UPDATE orchestrator.experiment
   SET status = 'queued', owner = NULL, heartbeat_at = NULL, dispatched_at = NULL, version = version + 1
 WHERE id = :id AND version = :version AND status = 'running'
