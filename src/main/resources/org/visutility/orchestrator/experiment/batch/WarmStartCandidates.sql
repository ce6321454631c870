-- An earlier experiment's completed trials that are not excluded now (trials exclude), most recent
-- first: the candidates to seed a warm start.
SELECT t.number, t.params::text AS params, t.score
  FROM orchestrator.trial t
 WHERE t.experiment_id = :source
   AND t.status = 'complete' AND t.score IS NOT NULL
   AND coalesce((SELECT max(x.sequence) FROM orchestrator.trial_exclusion_event x WHERE x.trial_id = t.id), 0) % 2 = 0
 ORDER BY t.number DESC
