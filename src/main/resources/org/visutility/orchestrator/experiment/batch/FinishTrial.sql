-- A trial's outcome, written in the same transaction as the step's checkpoint.
UPDATE orchestrator.trial
   SET status = :status, score = :score, metrics = CAST(:metrics AS jsonb), reports = CAST(:reports AS jsonb),
       artifact_uri = :artifactUri, error = :error, finished_at = clock_timestamp()
 WHERE experiment_id = :experiment AND number = :number AND status = 'running'
