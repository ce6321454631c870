-- A new experiment, queued: the dispatcher launches it when a slot is free.
INSERT INTO orchestrator.experiment (model_id, trigger, spec, spec_sha256, status)
SELECT m.id, :trigger, CAST(:spec AS jsonb), :sha256, 'queued'
  FROM orchestrator.model m
 WHERE m.name = :model
RETURNING id
