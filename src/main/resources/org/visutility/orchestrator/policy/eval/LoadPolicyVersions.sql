-- The given (policy, version) pairs: the version's id and normalised spec, and the policy's name.
SELECT v.policy_id, v.version, v.id, v.spec::text AS spec, p.name AS policy_name
  FROM unnest(:policy_ids::bigint[], :versions::int[]) AS k(policy_id, version)
  JOIN orchestrator.retrain_policy_version v ON v.policy_id = k.policy_id AND v.version = k.version
  JOIN orchestrator.retrain_policy p ON p.id = v.policy_id
