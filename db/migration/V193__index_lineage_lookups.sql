-- Indexes the documented lineage questions need so that their cost follows their answer, not the
-- history (orchestrator bench lineage found each missing one).
-- The version an experiment produced: experiment_lineage and retrain_outcome look it up per
-- experiment, which read every version without it.
CREATE INDEX model_version_by_experiment ON orchestrator.model_version (experiment_id, id) WHERE experiment_id IS NOT NULL;
COMMENT ON INDEX orchestrator.model_version_by_experiment IS 'The versions an experiment produced: the lineage views find an experiment''s version through it.';
-- Finding a model's experiments by the model (its versions have the unique (model_id, version) index).
CREATE INDEX experiment_by_model ON orchestrator.experiment (model_id, id);
COMMENT ON INDEX orchestrator.experiment_by_model IS 'A model''s experiments: the lineage views answer "for model X" through it.';
-- The rare trials the documented questions look for across all experiments.
CREATE INDEX trial_failed ON orchestrator.trial (experiment_id, number) WHERE status = 'failed';
COMMENT ON INDEX orchestrator.trial_failed IS 'Failed trials: "how many trials failed, and why" reads them without the complete ones.';
CREATE INDEX trial_retried ON orchestrator.trial (experiment_id, number) WHERE attempt > 1;
COMMENT ON INDEX orchestrator.trial_retried IS 'Trials that needed more than one attempt (a crash or a restart): found without reading the others.';
