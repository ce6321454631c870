-- An immutable version of a policy's normalised spec; applied_by names the operator when it came
-- over the control API.
INSERT INTO orchestrator.retrain_policy_version (policy_id, version, spec, spec_sha256, applied_by)
VALUES (:policy_id, :version, :spec::jsonb, :spec_sha256, :applied_by)
