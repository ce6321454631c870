-- One policy per model, at version 1, from specs built (and hashed) by the bench.
WITH input AS (
    SELECT * FROM unnest(:names::text[], :models::text[], :specs::text[], :shas::text[]) AS i(name, model, spec, sha)
), p AS (
    INSERT INTO orchestrator.retrain_policy (name, model_id, source_file)
    SELECT input.name, m.id, 'orchestrator bench policies'
      FROM input JOIN orchestrator.model m ON m.name = input.model
    RETURNING id, name
)
INSERT INTO orchestrator.retrain_policy_version (policy_id, version, spec, spec_sha256)
SELECT p.id, 1, input.spec::jsonb, input.sha FROM p JOIN input ON input.name = p.name
