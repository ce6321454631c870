-- An exclusion holds the experiment's row until it commits: finalize takes the same lock before it
-- chooses the best set, so either it sees the exclusion or the exclusion sees the set it wrote.
-- objective and select (JSON) say how the best set is chosen when objective is a list (several objectives).
SELECT e.id, e.status, e.spec -> 'objective' ->> 'direction' AS direction,
       CAST(e.spec -> 'objective' AS text) AS objective, CAST(e.spec -> 'select' AS text) AS select_rule
  FROM orchestrator.experiment e
 WHERE e.id = :experiment
   FOR UPDATE
