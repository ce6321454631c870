-- Every enabled policy at its current version, with its model and the state of the (policy, model).
SELECT p.id AS policy_id, p.name AS policy_name, v.id AS version_id, v.version, p.model_id, m.name AS model_name,
       s.state, s.since, s.revision, s.last_observed
  FROM orchestrator.retrain_policy p
  JOIN orchestrator.retrain_policy_version v ON v.policy_id = p.id AND v.version = p.current_version
  JOIN orchestrator.model m ON m.id = p.model_id
  JOIN orchestrator.policy_state s ON s.policy_id = p.id AND s.model_id = p.model_id
 WHERE p.enabled
 ORDER BY p.id
