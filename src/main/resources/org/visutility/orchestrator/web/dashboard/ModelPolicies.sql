-- A model's policies with their current definition and state.
SELECT p.name              AS policy,
       p.enabled,
       p.current_version   AS policy_version,
       pv.spec,
       pv.created_at       AS version_applied_at,
       ps.state,
       ps.since,
       ps.last_evaluated_at,
       ps.last_observed
  FROM orchestrator.retrain_policy p
  LEFT JOIN orchestrator.retrain_policy_version pv ON pv.policy_id = p.id AND pv.version = p.current_version
  LEFT JOIN orchestrator.policy_state ps ON ps.policy_id = p.id AND ps.model_id = p.model_id
 WHERE p.model_id = :model_id
 ORDER BY p.name
 LIMIT :limit
