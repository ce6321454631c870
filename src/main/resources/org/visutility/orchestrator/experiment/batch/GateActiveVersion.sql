-- The model's active version (at most one: model_version_one_active), the one the candidate must beat.
SELECT v.id, v.model_id, m.name AS model, v.version, v.status, v.artifact_uri
  FROM orchestrator.model_version v
  JOIN orchestrator.model m ON m.id = v.model_id
 WHERE v.model_id = :model AND v.status = 'active'
