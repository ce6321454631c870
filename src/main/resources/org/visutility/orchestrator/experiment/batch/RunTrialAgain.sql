-- An attempt that cannot end where it ran (its worker's node is gone, or gave it back) runs again:
-- attempt + 1, back with the owner until a worker takes it (the trigger closes the old attempt as
-- interrupted and opens the new one). Only that attempt, still running: a trial that ended meanwhile is left.
UPDATE orchestrator.trial
   SET attempt = attempt + 1, worker = :owner, started_at = clock_timestamp(), reports = '[]',
       orchestrator_version = :orchestratorVersion
 WHERE experiment_id = :experiment AND number = :number AND attempt = :attempt AND status = 'running'
RETURNING number, params, attempt
