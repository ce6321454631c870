-- Experiments, newest first, optionally of one model and/or in one status (lineage.experiment_lineage).
SELECT experiment_id, model, trigger, policy, status, queued_at, started_at, finished_at, run_seconds,
       strategy, objective_metric, objective_direction,
       trials_total, trials_complete, trials_failed, trials_pruned,
       best_trial_number, best_score, produced_version, attempt, error
  FROM lineage.experiment_lineage
 WHERE (CAST(:model AS text) IS NULL OR model = :model)
   AND (CAST(:status AS text) IS NULL OR status = :status)
 ORDER BY experiment_id DESC
 LIMIT :limit
