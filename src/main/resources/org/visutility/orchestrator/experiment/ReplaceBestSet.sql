-- The experiment's new best set after an exclusion or inclusion changed it: a new current row, linked
-- from the row it replaces (RetireBestSet marked that one first, so the two are never both current).
-- :selection is the Pareto choice's record (several objectives), NULL for one objective.
-- The old row stays as it was: the model version registered from it was trained with it.
WITH fresh AS (
    INSERT INTO orchestrator.hyperparameter_set (experiment_id, trial_id, params, score, selection)
    SELECT old.experiment_id, :trial, CAST(:params AS jsonb), :score, CAST(:selection AS jsonb)
      FROM orchestrator.hyperparameter_set old WHERE old.id = :set
    RETURNING id)
UPDATE orchestrator.hyperparameter_set old
   SET replaced_by_id = fresh.id
  FROM fresh
 WHERE old.id = :set
RETURNING fresh.id
