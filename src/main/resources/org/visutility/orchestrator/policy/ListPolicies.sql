-- Every policy with its current version, its model and the state of the (policy, model).
SELECT p.name, p.current_version, p.enabled, m.name AS model, s.state, s.since, s.last_evaluated_at, s.last_observed,
       (SELECT e.id FROM orchestrator.experiment e
         WHERE e.policy_id = p.id AND e.model_id = p.model_id AND e.status IN ('queued', 'running')
         LIMIT 1) AS open_experiment,
       p.source_file, p.updated_at
  FROM orchestrator.retrain_policy p
  JOIN orchestrator.model m ON m.id = p.model_id
  LEFT JOIN orchestrator.policy_state s ON s.policy_id = p.id AND s.model_id = p.model_id
 ORDER BY p.name
