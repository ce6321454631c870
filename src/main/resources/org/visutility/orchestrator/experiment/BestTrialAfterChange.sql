-- The best complete trial once trial :trial is excluded (:excluding true) or included again (false),
-- the other trials as their latest change leaves them; ties go to the earlier trial (as BestTrial at finalize).
SELECT t.id, t.number, t.params, t.score
  FROM orchestrator.trial t
 WHERE t.experiment_id = :experiment AND t.status = 'complete'
   AND CASE WHEN t.id = :trial THEN NOT :excluding
            ELSE coalesce((SELECT max(x.sequence) FROM orchestrator.trial_exclusion_event x WHERE x.trial_id = t.id), 0) % 2 = 0
       END
 ORDER BY CASE WHEN :maximize THEN -t.score ELSE t.score END, t.number
 LIMIT 1
