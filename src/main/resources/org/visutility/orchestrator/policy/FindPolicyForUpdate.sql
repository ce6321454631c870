-- A policy by name with its current version's spec hash, locked until the apply commits.
SELECT p.id, p.model_id, p.current_version, p.enabled, p.source_file, v.spec_sha256,
       (SELECT max(version) FROM orchestrator.retrain_policy_version WHERE policy_id = p.id) AS max_version
  FROM orchestrator.retrain_policy p
  JOIN orchestrator.retrain_policy_version v ON v.policy_id = p.id AND v.version = p.current_version
 WHERE p.name = :name
   FOR UPDATE OF p
