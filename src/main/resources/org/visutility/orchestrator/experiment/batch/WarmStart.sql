-- An experiment's recorded seeding: its baseline and note.
SELECT baseline_trial_number, baseline_params::text AS baseline_params, seeded_trials, note
  FROM orchestrator.warm_start
 WHERE experiment_id = :experiment
