-- An exclusion holds the experiment's row until it commits: finalize takes the same lock before it
-- chooses the best set, so either it sees the exclusion or the exclusion sees the set it wrote.
SELECT e.id, e.status, e.spec -> 'objective' ->> 'direction' AS direction
  FROM orchestrator.experiment e
 WHERE e.id = :experiment
   FOR UPDATE
