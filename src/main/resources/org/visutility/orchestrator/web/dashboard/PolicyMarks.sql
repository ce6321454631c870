-- The model's policies going firing or resolved within [from, to), newest :limit, oldest first.
SELECT * FROM (
    SELECT ev.evaluated_at,
           p.name              AS policy,
           pv.version          AS policy_version,
           ev.policy_version_id,
           ev.from_state,
           ev.to_state         AS state,
           ev.condition,
           ev.observed,
           ev.threshold,
           ev.experiment_id
      FROM orchestrator.policy_evaluation ev
      JOIN orchestrator.retrain_policy_version pv ON pv.id = ev.policy_version_id
      JOIN orchestrator.retrain_policy p ON p.id = pv.policy_id
     WHERE ev.model_id = :model_id
       AND ev.to_state IN ('firing', 'resolved')
       AND ev.evaluated_at >= coalesce(CAST(:from AS timestamptz), '-infinity')
       AND ev.evaluated_at <  coalesce(CAST(:to AS timestamptz), 'infinity')
     ORDER BY ev.evaluated_at DESC, ev.id DESC
     LIMIT :limit) newest
 ORDER BY evaluated_at, policy
