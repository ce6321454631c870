-- A model's versions, newest first, and how many it has in all.
SELECT v.id, v.model_id, m.name AS model, v.version, v.status, v.source, v.experiment_id, v.artifact_uri, v.created_at,
       count(*) OVER () AS total
  FROM orchestrator.model_version v
  JOIN orchestrator.model m ON m.id = v.model_id
 WHERE v.model_id = :model
 ORDER BY v.created_at DESC, v.id DESC
 LIMIT :limit
