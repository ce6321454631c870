-- The version an experiment registered (its candidate), with its model, as the gate judges it.
SELECT v.id, v.model_id, m.name AS model, v.version, v.status, v.artifact_uri
  FROM orchestrator.model_version v
  JOIN orchestrator.model m ON m.id = v.model_id
 WHERE v.experiment_id = :experiment
 ORDER BY v.id
 LIMIT 1
