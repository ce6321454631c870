-- A new experiment, queued: the dispatcher launches it when a slot is free. A firing policy passes
-- its policy and evaluation (the evidence); a submit passes neither, and over the control API the
-- submitting operator; a resubmission the run it supersedes (checked beforehand, see Supersedes).
INSERT INTO orchestrator.experiment (model_id, trigger, spec, spec_sha256, status, policy_id, policy_evaluation_id, submitted_by,
                                     supersedes_experiment_id)
SELECT m.id, :trigger, CAST(:spec AS jsonb), :sha256, 'queued', :policyId, :policyEvaluationId, :submittedBy,
       CAST(:supersedes AS bigint)
  FROM orchestrator.model m
 WHERE m.name = :model
RETURNING id
