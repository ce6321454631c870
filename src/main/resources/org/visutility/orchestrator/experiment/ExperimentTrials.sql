SELECT number, status, score, attempt, worker, params, metrics, error, started_at, finished_at
  FROM orchestrator.trial
 WHERE experiment_id = :id
 ORDER BY number
