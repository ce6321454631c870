-- For each (policy, model) about to fire: its open experiment (queued or running), if any, its last
-- experiment and when it ended (or was queued, if it has not ended): the cooldown runs from there,
-- and its open post-deploy verification, if any, with the deadline that closes it at the latest.
WITH input AS (
    SELECT * FROM unnest(:policy_ids::bigint[], :model_ids::bigint[]) AS i(policy_id, model_id)
)
SELECT input.policy_id, input.model_id,
       (SELECT e.id FROM orchestrator.experiment e
         WHERE e.policy_id = input.policy_id AND e.model_id = input.model_id AND e.status IN ('queued', 'running')
         LIMIT 1) AS open_experiment,
       last.id AS last_experiment, last.at AS last_experiment_at,
       ov.experiment_id AS verifying_experiment, ov.deadline AS verification_deadline
  FROM input
  LEFT JOIN LATERAL (
      SELECT e.id, coalesce(e.finished_at, e.queued_at) AS at FROM orchestrator.experiment e
       WHERE e.policy_id = input.policy_id AND e.model_id = input.model_id
       ORDER BY coalesce(e.finished_at, e.queued_at) DESC, e.id DESC
       LIMIT 1) last ON true
  LEFT JOIN LATERAL (
      SELECT rv.experiment_id, rv.deadline FROM orchestrator.retrain_verification rv
       WHERE rv.policy_id = input.policy_id AND rv.model_id = input.model_id AND rv.outcome IS NULL
       ORDER BY rv.experiment_id
       LIMIT 1) ov ON true
