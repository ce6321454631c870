-- For each (policy, model) about to fire: its open experiment (queued or running), if any, and
-- when its last experiment ended (or was queued, if it has not ended): the cooldown runs from there.
WITH input AS (
    SELECT * FROM unnest(:policy_ids::bigint[], :model_ids::bigint[]) AS i(policy_id, model_id)
)
SELECT input.policy_id, input.model_id,
       (SELECT e.id FROM orchestrator.experiment e
         WHERE e.policy_id = input.policy_id AND e.model_id = input.model_id AND e.status IN ('queued', 'running')
         LIMIT 1) AS open_experiment,
       (SELECT max(coalesce(e.finished_at, e.queued_at)) FROM orchestrator.experiment e
         WHERE e.policy_id = input.policy_id AND e.model_id = input.model_id) AS last_experiment_at
  FROM input
