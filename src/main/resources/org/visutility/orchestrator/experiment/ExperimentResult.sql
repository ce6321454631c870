-- The experiment's outcome in the lineage tables: its best set, the model version made from it and
-- the challenger gate's verdict on that version.
SELECT hs.id AS set_id, hs.params, hs.score, t.number AS trial_number,
       mv.id AS model_version_id, mv.version AS model_version, mv.status AS model_version_status, mv.artifact_uri,
       g.verdict AS gate_verdict, g.reason AS gate_reason
  FROM orchestrator.hyperparameter_set hs
  JOIN orchestrator.trial t ON t.id = hs.trial_id
  LEFT JOIN orchestrator.model_version mv ON mv.hyperparameter_set_id = hs.id
  LEFT JOIN orchestrator.gate_result g ON g.experiment_id = hs.experiment_id
 WHERE hs.experiment_id = :id
