-- Every version of the model's policies with the time it was in force: from when it was applied
-- until the next version was, or until the policy was disabled, or still now (valid_to null).
SELECT p.name        AS policy,
       pv.id         AS policy_version_id,
       pv.version    AS policy_version,
       pv.spec,
       pv.created_at AS valid_from,
       coalesce(lead(pv.created_at) OVER (PARTITION BY p.id ORDER BY pv.version),
                CASE WHEN NOT p.enabled THEN p.updated_at END) AS valid_to
  FROM orchestrator.retrain_policy p
  JOIN orchestrator.retrain_policy_version pv ON pv.policy_id = p.id
 WHERE p.model_id = :model_id
 ORDER BY p.name, pv.version
 LIMIT :limit
