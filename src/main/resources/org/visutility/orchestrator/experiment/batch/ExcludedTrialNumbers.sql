-- The numbers of an experiment's trials whose latest exclusion change is an exclude (odd sequence).
SELECT trial_number
  FROM orchestrator.trial_exclusion_event
 WHERE experiment_id = :experiment
 GROUP BY trial_id, trial_number
HAVING max(sequence) % 2 = 1
