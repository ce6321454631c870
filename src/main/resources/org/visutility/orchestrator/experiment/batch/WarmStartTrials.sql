-- The earlier trials that seed an experiment's strategy, oldest first (the order the strategy reads them in).
SELECT source_experiment_id, source_trial_number, params::text AS params, score
  FROM orchestrator.warm_start_trial
 WHERE experiment_id = :experiment
 ORDER BY position
