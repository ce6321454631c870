-- ops restart ID --retry-failed: a run that failed by its own rules (budget.max_failed, or no trial
-- completed) ended with its Spring Batch job COMPLETED, and a completed job instance cannot be
-- restarted. Each retry starts a new round instead: a new job instance of the experiment, told apart
-- by the identifying job parameter retry_round, whose trials step first re-runs the failed trials
-- (same numbers and params, attempt + 1) and then continues to the budget.
ALTER TABLE orchestrator.experiment ADD COLUMN retry_round integer NOT NULL DEFAULT 0 CHECK (retry_round >= 0);
COMMENT ON COLUMN orchestrator.experiment.retry_round IS 'How many times ops restart --retry-failed started a new round of the run (0: never). Round N > 0 is its own Spring Batch job instance (identifying job parameter retry_round = N); round 0 has only experiment_id.';
COMMENT ON COLUMN orchestrator.experiment.job_execution_id IS 'The latest Spring Batch job execution (batch.batch_job_execution) running it in its current retry round; NULL until the round starts one (ops restart --retry-failed clears it; experiment_intervention.job_execution_id keeps the one before).';

COMMENT ON TABLE batch.batch_job_instance IS 'Spring Batch: one per (job name, identifying parameters); for the orchestrator, one per experiment and retry round (experiment_id, and retry_round from round 1 on).';
