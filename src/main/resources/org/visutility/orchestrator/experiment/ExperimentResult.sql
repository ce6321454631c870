-- The experiment's outcome in the lineage tables: its current best set, the model version made from
-- it (with the set that version was trained with, older when an exclusion replaced the best set since)
-- and the challenger gate's verdict on that version.
SELECT hs.id AS set_id, hs.params, hs.score, t.number AS trial_number,
       mv.id AS model_version_id, mv.version AS model_version, mv.status AS model_version_status, mv.artifact_uri,
       mv.hyperparameter_set_id AS model_version_set_id, rt.number AS model_version_trial_number,
       g.verdict AS gate_verdict, g.reason AS gate_reason
  FROM orchestrator.hyperparameter_set hs
  JOIN orchestrator.trial t ON t.id = hs.trial_id
  LEFT JOIN LATERAL (
        SELECT v.id, v.version, v.status, v.artifact_uri, v.hyperparameter_set_id
          FROM orchestrator.model_version v
         WHERE v.experiment_id = hs.experiment_id ORDER BY v.id DESC LIMIT 1) mv ON true
  LEFT JOIN orchestrator.hyperparameter_set rhs ON rhs.id = mv.hyperparameter_set_id
  LEFT JOIN orchestrator.trial rt ON rt.id = rhs.trial_id
  LEFT JOIN orchestrator.gate_result g ON g.experiment_id = hs.experiment_id
 WHERE hs.experiment_id = :id AND hs.replaced_at IS NULL
