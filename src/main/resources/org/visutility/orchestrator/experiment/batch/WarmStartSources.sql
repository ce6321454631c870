-- The earlier experiments of the experiment's model a warm start may read, most recent first, with
-- their objective (only those with today's metric and direction are used): all of them
-- (from: previous_rounds, :all) or the ones listed (from: experiment, :ids).
SELECT b.id, b.spec -> 'objective' ->> 'metric' AS metric, b.spec -> 'objective' ->> 'direction' AS direction
  FROM orchestrator.experiment e
  JOIN orchestrator.experiment b ON b.model_id = e.model_id AND b.id < e.id
 WHERE e.id = :experiment
   AND (:all OR b.id = ANY (:ids))
 ORDER BY b.id DESC
