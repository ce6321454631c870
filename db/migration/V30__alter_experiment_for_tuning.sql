-- The tuning engine's additions to schema v1: the launch hand-off (dispatched_at), a trigger for
-- benchmark runs, the artifact a trial reported, and the indexes the engine's queries use.

ALTER TABLE orchestrator.experiment ADD COLUMN dispatched_at timestamptz;
COMMENT ON COLUMN orchestrator.experiment.dispatched_at IS 'When the dispatcher handed the queued experiment to Quartz as a one-shot job; NULL while it waits for a free slot (max_running_experiments).';

-- bench: the runs of orchestrator bench trials, kept apart from users' experiments.
ALTER TABLE orchestrator.experiment DROP CONSTRAINT experiment_trigger_check;
ALTER TABLE orchestrator.experiment ADD CONSTRAINT experiment_trigger_check
    CHECK (trigger IN ('policy', 'submit', 'demo', 'bench'));
COMMENT ON COLUMN orchestrator.experiment.trigger IS 'policy (a firing policy), submit (orchestrator experiments submit), demo, or bench (orchestrator bench trials).';

ALTER TABLE orchestrator.trial ADD COLUMN artifact_uri text;
COMMENT ON COLUMN orchestrator.trial.artifact_uri IS 'Where the trainer put what it trained, when its final report named one (artifact_uri).';

-- The dispatcher looks for queued experiments not yet handed to Quartz, oldest first.
CREATE INDEX experiment_waiting ON orchestrator.experiment (queued_at, id) WHERE status = 'queued' AND dispatched_at IS NULL;
-- The trials still open (running) of an experiment: restarts and cancellation find them.
CREATE INDEX trial_running ON orchestrator.trial (experiment_id, number) WHERE status = 'running';
