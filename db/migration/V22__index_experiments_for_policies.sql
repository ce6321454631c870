-- The guards of a firing policy (open experiment, cooldown since the last one) and the staleness
-- condition (last successful retrain of a model) are index lookups.
CREATE INDEX experiment_policy_model ON orchestrator.experiment (policy_id, model_id, queued_at DESC)
    WHERE policy_id IS NOT NULL;
CREATE INDEX experiment_model_succeeded ON orchestrator.experiment (model_id, finished_at DESC)
    WHERE status = 'succeeded';
