-- The completed trials the Pareto front is drawn from (several objectives): not excluded, as their
-- latest change leaves them, except trial :trial, taken as excluded (:excluding true) or included
-- again (false) by the change being made; -1 when none is. Read under the experiment's row lock.
SELECT t.id, t.number, t.params, t.metrics, t.artifact_uri
  FROM orchestrator.trial t
 WHERE t.experiment_id = :experiment AND t.status = 'complete'
   AND CASE WHEN t.id = :trial THEN NOT :excluding
            ELSE coalesce((SELECT max(x.sequence) FROM orchestrator.trial_exclusion_event x WHERE x.trial_id = t.id), 0) % 2 = 0
       END
 ORDER BY t.number
