-- The experiment's best set after an exclusion or inclusion changed it; the change's row keeps the previous one.
UPDATE orchestrator.hyperparameter_set
   SET trial_id = :trial, params = CAST(:params AS jsonb), score = :score
 WHERE id = :set
