INSERT INTO orchestrator.warm_start_trial (experiment_id, position, source_experiment_id, source_trial_number, params, score)
VALUES (:experiment, :position, :source, :number, CAST(:params AS jsonb), :score)
