-- The rows-alone runs of bench trials, in their scratch database only: where a round starts, the
-- number of the trial running (each run ends it and opens the next) and the step row's version
-- (the trials unit's statement writes it only from the version it read, as Spring Batch does).
SELECT (SELECT max(number) FROM orchestrator.trial WHERE experiment_id = :experiment) AS running,
       (SELECT version FROM batch.batch_step_execution WHERE step_execution_id = :stepExecution) AS step_version
