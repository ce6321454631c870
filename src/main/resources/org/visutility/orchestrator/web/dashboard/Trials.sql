-- An experiment's trials in order, with the best complete score so far (lineage.trial_history).
SELECT trial_number, status, params, score, best_so_far, metrics, started_at, finished_at, duration_seconds,
       attempt, worker, error
  FROM lineage.trial_history
 WHERE experiment_id = :id
 ORDER BY trial_number
 LIMIT :limit
