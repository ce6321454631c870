-- Policies (issue 4): where a policy was applied from, and the fencing counter of each (policy, model) state.

ALTER TABLE orchestrator.retrain_policy ADD COLUMN source_file text;
COMMENT ON COLUMN orchestrator.retrain_policy.source_file IS 'The policy file it was last applied from (absolute path); applying that file again without the policy disables it.';

ALTER TABLE orchestrator.policy_state ADD COLUMN revision bigint NOT NULL DEFAULT 0;
COMMENT ON COLUMN orchestrator.policy_state.revision IS 'Bumped by every evaluation that writes the row; an evaluator writes only rows still at the revision it read, so two racing evaluators never both act on one (policy, model).';

CREATE INDEX policy_evaluation_version_model_time ON orchestrator.policy_evaluation (policy_version_id, model_id, evaluated_at DESC);
