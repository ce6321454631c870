-- The experiment's current best set (written at finalize, or by an earlier exclusion or inclusion), with its trial's number.
SELECT hs.id, hs.trial_id, t.number, hs.score
  FROM orchestrator.hyperparameter_set hs
  JOIN orchestrator.trial t ON t.id = hs.trial_id
 WHERE hs.experiment_id = :experiment AND hs.replaced_at IS NULL
