-- One version by its model's name and its label.
SELECT v.id, v.model_id, m.name AS model, v.version, v.status, v.source, v.experiment_id, v.artifact_uri, v.created_at
  FROM orchestrator.model_version v
  JOIN orchestrator.model m ON m.id = v.model_id
 WHERE m.name = :model AND v.version = :version
