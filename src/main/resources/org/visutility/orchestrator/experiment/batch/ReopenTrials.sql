-- Trials that were running when the previous run stopped or crashed: they run again, attempt + 1.
UPDATE orchestrator.trial
   SET attempt = attempt + 1, worker = :worker, started_at = clock_timestamp(), reports = '[]',
       orchestrator_version = :orchestratorVersion
 WHERE experiment_id = :experiment AND status = 'running'
RETURNING number, params, attempt
