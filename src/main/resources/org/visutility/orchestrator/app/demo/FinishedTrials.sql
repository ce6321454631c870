-- The experiment's trials that have ended, by number, as the demo prints them.
SELECT number, status, score, params::text AS params
  FROM orchestrator.trial
 WHERE experiment_id = :id AND status <> 'running'
 ORDER BY number
