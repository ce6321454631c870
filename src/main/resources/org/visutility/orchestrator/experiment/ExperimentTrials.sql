SELECT t.number, t.status, t.score, t.attempt, t.worker, t.params, t.metrics, t.error, t.started_at, t.finished_at,
       coalesce((SELECT max(x.sequence) FROM orchestrator.trial_exclusion_event x WHERE x.trial_id = t.id), 0) % 2 = 1 AS excluded
  FROM orchestrator.trial t
 WHERE t.experiment_id = :id
 ORDER BY t.number
