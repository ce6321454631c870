-- The model's active version, if any (at most one: model_version_one_active).
SELECT v.id, v.model_id, m.name AS model, v.version, v.status, v.source, v.experiment_id, v.artifact_uri, v.created_at
  FROM orchestrator.model_version v
  JOIN orchestrator.model m ON m.id = v.model_id
 WHERE v.model_id = :model AND v.status = 'active'
