-- An immutable version of a policy's normalised spec.
INSERT INTO orchestrator.retrain_policy_version (policy_id, version, spec, spec_sha256)
VALUES (:policy_id, :version, :spec::jsonb, :spec_sha256)
