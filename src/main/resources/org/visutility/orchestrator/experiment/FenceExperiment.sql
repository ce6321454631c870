-- First statement of every committed unit of a run: proves the run still owns the experiment
-- (same version, still running) and holds the row until commit, so a takeover waits for us or we fail.
UPDATE orchestrator.experiment SET heartbeat_at = now()
 WHERE id = :experiment AND version = :version AND status = 'running'
