-- The best complete trial (ties go to the earlier trial).
SELECT id, number, params, score, artifact_uri
  FROM orchestrator.trial
 WHERE experiment_id = :experiment AND status = 'complete'
 ORDER BY CASE WHEN :maximize THEN -score ELSE score END, number
 LIMIT 1
