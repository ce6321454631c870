-- A trial of an experiment and its latest exclusion change (0: never changed; odd: excluded).
SELECT t.id, t.number, t.status, t.score,
       coalesce((SELECT max(x.sequence) FROM orchestrator.trial_exclusion_event x WHERE x.trial_id = t.id), 0) AS sequence
  FROM orchestrator.trial t
 WHERE t.experiment_id = :experiment AND t.number = :number
