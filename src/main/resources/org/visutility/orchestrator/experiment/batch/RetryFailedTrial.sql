-- A retry round (ops restart --retry-failed) runs a trial that failed in an earlier round again: same
-- number and params, attempt + 1, its old outcome cleared. Committed as running, with the step's
-- checkpoint, before its trainer starts.
UPDATE orchestrator.trial
   SET status = 'running', attempt = attempt + 1, worker = :worker, started_at = clock_timestamp(),
       finished_at = NULL, score = NULL, metrics = NULL, reports = '[]', artifact_uri = NULL, error = NULL,
       orchestrator_version = :orchestratorVersion
 WHERE experiment_id = :experiment AND number = :number AND status = 'failed'
RETURNING number, params, attempt
