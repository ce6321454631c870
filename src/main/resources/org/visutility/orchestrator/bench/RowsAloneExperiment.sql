-- The rows-alone runs of bench trials, in their scratch database only: the queued bench experiment
-- made running, as a claimed run holds it; returns the version its fence checks.
UPDATE orchestrator.experiment SET status = 'running', started_at = now(), heartbeat_at = now()
 WHERE id = :experiment
RETURNING version
