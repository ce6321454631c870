-- Experiments holding a slot: running, or handed to Quartz and about to run.
SELECT count(*) FROM orchestrator.experiment
 WHERE status = 'running' OR (status = 'queued' AND dispatched_at IS NOT NULL)
