-- :selection is the rule that chose the trial from the Pareto front (several objectives), NULL for one objective.
INSERT INTO orchestrator.hyperparameter_set (experiment_id, trial_id, params, score, selection)
VALUES (:experiment, :trial, CAST(:params AS jsonb), :score, CAST(:selection AS jsonb))
RETURNING id
