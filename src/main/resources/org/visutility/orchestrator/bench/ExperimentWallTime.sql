-- An experiment's status and, once it ended, its wall time in seconds: from its start (the run's claim)
-- to its end (the gate's commit), both taken by the database.
SELECT status, error,
       CASE WHEN finished_at IS NOT NULL THEN CAST(extract(epoch FROM finished_at - started_at) AS double precision) END AS wall_seconds
  FROM orchestrator.experiment
 WHERE id = :id
