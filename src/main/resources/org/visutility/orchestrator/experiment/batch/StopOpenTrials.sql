-- The run ends with trials still open (budget.timeout, max_failed): they end as failed, with the reason.
UPDATE orchestrator.trial
   SET status = 'failed', error = :reason, finished_at = clock_timestamp()
 WHERE experiment_id = :experiment AND status = 'running'
