-- The version a rollback restores: of the model's retired versions, the one that stopped being
-- active most recently.
SELECT v.id, v.model_id, m.name AS model, v.version, v.status, v.source, v.experiment_id, v.artifact_uri, v.created_at
  FROM orchestrator.model_version v
  JOIN orchestrator.model m ON m.id = v.model_id
  JOIN orchestrator.model_version_event e ON e.model_version_id = v.id AND e.from_status = 'active' AND e.to_status = 'retired'
 WHERE v.model_id = :model AND v.status = 'retired'
 ORDER BY e.id DESC
 LIMIT 1
