-- Of the attempts a worker runs (:experiments, :numbers, :attempts side by side), those still wanted:
-- the trial still running that attempt on this worker, its experiment still running. The others are
-- stopped: the run was cancelled, taken over (the attempt raised) or stopped the trial itself.
SELECT w.experiment, w.number
  FROM unnest(CAST(:experiments AS bigint[]), CAST(:numbers AS int[]), CAST(:attempts AS int[])) AS w(experiment, number, attempt)
  JOIN orchestrator.trial t ON t.experiment_id = w.experiment AND t.number = w.number AND t.attempt = w.attempt
  JOIN orchestrator.experiment e ON e.id = t.experiment_id
 WHERE t.status = 'running' AND t.worker = :worker AND e.status = 'running'
