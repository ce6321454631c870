-- What strategies see after a restart: every trial that has ended, by number, with its final metrics
-- (a strategy with several objectives reads each objective's value there).
SELECT number, params, status, score, reports, metrics
  FROM orchestrator.trial
 WHERE experiment_id = :experiment AND status <> 'running'
 ORDER BY number
