INSERT INTO orchestrator.hyperparameter_set (experiment_id, trial_id, params, score)
VALUES (:experiment, :trial, CAST(:params AS jsonb), :score)
RETURNING id
