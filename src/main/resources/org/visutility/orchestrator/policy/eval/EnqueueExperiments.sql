-- The hand-off to the tuning side: one queued experiment per firing (policy, model), in the same
-- transaction as its firing evaluation. The partial unique index experiment_one_open_per_policy
-- lets at most one experiment per (model, policy) be open; a second one is silently not inserted.
INSERT INTO orchestrator.experiment (model_id, policy_id, policy_evaluation_id, trigger, spec, spec_sha256, status, queued_at)
SELECT i.model_id, i.policy_id, i.evaluation_id, 'policy', i.spec::jsonb, i.spec_sha256, 'queued', :at
  FROM unnest(:model_ids::bigint[], :policy_ids::bigint[], :evaluation_ids::bigint[], :specs::text[], :spec_sha256s::text[])
       AS i(model_id, policy_id, evaluation_id, spec, spec_sha256)
ON CONFLICT (model_id, policy_id) WHERE status IN ('queued', 'running') AND policy_id IS NOT NULL DO NOTHING
RETURNING id, model_id, policy_id, policy_evaluation_id
