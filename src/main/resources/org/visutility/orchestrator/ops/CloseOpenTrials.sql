-- The trials an abandoned experiment left running end as failed; nobody will run them again.
UPDATE orchestrator.trial t
   SET status = 'failed', error = :reason, finished_at = clock_timestamp()
 WHERE t.experiment_id = :id AND t.status = 'running'
   AND EXISTS (SELECT 1 FROM orchestrator.experiment e WHERE e.id = :id AND e.status = 'abandoned')
