-- Policies (issue 4): where a policy was applied from, and the fencing counter of each (policy, model) state.

ALTER TABLE orchestrator.retrain_policy ADD COLUMN source_file text;
COMMENT ON COLUMN orchestrator.retrain_policy.source_file IS 'The policy file it was last applied from (absolute path); applying that file again without the policy disables it.';

ALTER TABLE orchestrator.policy_state ADD COLUMN revision bigint NOT NULL DEFAULT 0;
COMMENT ON COLUMN orchestrator.policy_state.revision IS 'Bumped by every evaluation that writes the row; an evaluator writes only rows still at the revision it read, so two racing evaluators never both act on one (policy, model).';

CREATE INDEX policy_evaluation_version_model_time ON orchestrator.policy_evaluation (policy_version_id, model_id, evaluated_at DESC);

-- A pass writes a state row only when something is new for it (a state change, an enqueue, a new
-- observed value): a fleet whose metrics did not move costs no writes. The two columns below say so.
COMMENT ON COLUMN orchestrator.policy_state.last_evaluated_at IS 'When an evaluation last wrote this row: a state change, an enqueue, or a new observed value. Passes that find nothing new leave it as it is (quartz.qrtz_triggers.prev_fire_time of evaluate-policies tells when the last pass ran).';
COMMENT ON COLUMN orchestrator.policy_state.last_observed IS 'The observed value of the deciding condition at that evaluation (the first condition unless the state changed).';
