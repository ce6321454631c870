-- The best complete trial that is not excluded (ties go to the earlier trial). Read at finalize, under
-- the experiment's row lock, so an exclusion committed before finalize counts (trials exclude).
SELECT id, number, params, score, artifact_uri, reported_reference::text AS reported_reference
  FROM orchestrator.trial t
 WHERE experiment_id = :experiment AND status = 'complete'
   AND coalesce((SELECT max(x.sequence) FROM orchestrator.trial_exclusion_event x WHERE x.trial_id = t.id), 0) % 2 = 0
 ORDER BY CASE WHEN :maximize THEN -score ELSE score END, number
 LIMIT 1
