-- Experiments, newest first, optionally of one model and/or in one status (lineage.experiment_lineage).
-- trials_ended (complete, failed or pruned) of budget_trials is the progress `experiments list` prints.
SELECT l.experiment_id, l.model, l.trigger, l.policy, l.status, l.queued_at, l.started_at, l.finished_at, l.run_seconds,
       l.strategy, l.objective_metric, l.objective_direction,
       l.trials_total, l.trials_complete, l.trials_failed, l.trials_pruned,
       l.trials_complete + l.trials_failed + l.trials_pruned AS trials_ended,
       CAST(e.spec -> 'budget' ->> 'trials' AS integer) AS budget_trials,
       l.best_trial_number, l.best_score, l.produced_version, l.attempt, l.error
  FROM lineage.experiment_lineage l
  JOIN orchestrator.experiment e ON e.id = l.experiment_id
 WHERE (CAST(:model AS text) IS NULL OR l.model = :model)
   AND (CAST(:status AS text) IS NULL OR l.status = :status)
 ORDER BY l.experiment_id DESC
 LIMIT :limit
