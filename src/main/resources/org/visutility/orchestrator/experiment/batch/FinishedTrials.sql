-- What strategies see after a restart: every trial that has ended, by number.
SELECT number, params, status, score, reports
  FROM orchestrator.trial
 WHERE experiment_id = :experiment AND status <> 'running'
 ORDER BY number
