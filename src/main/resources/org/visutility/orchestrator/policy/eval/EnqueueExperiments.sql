-- The hand-off to the tuning side: one queued experiment per firing (policy, model), in the same
-- transaction as its firing evaluation. The partial unique index experiment_one_open_per_policy
-- lets at most one experiment per (model, policy) be open; a second one is silently not inserted.
-- When the policy's previous experiment for the model failed or was abandoned (and nothing replaced
-- it yet), the new one records that it supersedes it: the re-enqueue after a failure.
INSERT INTO orchestrator.experiment (model_id, policy_id, policy_evaluation_id, trigger, spec, spec_sha256, status, queued_at,
                                     supersedes_experiment_id)
SELECT i.model_id, i.policy_id, i.evaluation_id, 'policy', i.spec::jsonb, i.spec_sha256, 'queued', :at, previous.id
  FROM unnest(:model_ids::bigint[], :policy_ids::bigint[], :evaluation_ids::bigint[], :specs::text[], :spec_sha256s::text[])
       AS i(model_id, policy_id, evaluation_id, spec, spec_sha256)
  LEFT JOIN LATERAL (
        SELECT last.id
          FROM (SELECT e.id, e.status FROM orchestrator.experiment e
                 WHERE e.model_id = i.model_id AND e.policy_id = i.policy_id
                 ORDER BY e.queued_at DESC, e.id DESC LIMIT 1) last
         WHERE last.status IN ('failed', 'abandoned')
           AND NOT EXISTS (SELECT 1 FROM orchestrator.experiment s WHERE s.supersedes_experiment_id = last.id)) previous ON true
ON CONFLICT (model_id, policy_id) WHERE status IN ('queued', 'running') AND policy_id IS NOT NULL DO NOTHING
RETURNING id, model_id, policy_id, policy_evaluation_id
