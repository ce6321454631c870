-- A model's versions, newest first, with the experiment that produced each.
SELECT mv.version, mv.status, mv.source, mv.experiment_id, mv.artifact_uri, mv.created_at
  FROM orchestrator.model_version mv
 WHERE mv.model_id = :model_id
 ORDER BY mv.created_at DESC, mv.id DESC
 LIMIT :limit
