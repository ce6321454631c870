-- The learning curves: each trial's intermediate reports of one metric (the objective), step by step,
-- for the first :trials trials in number order, at most :per_trial reports each, at most :limit in all.
-- Reports without a numeric value of the metric are left out.
SELECT t.number AS trial_number, t.status, CAST(CAST(r.report ->> 'step' AS numeric) AS bigint) AS step,
       CAST(r.report ->> :metric AS double precision) AS value
  FROM (SELECT id, number, status, reports FROM orchestrator.trial
         WHERE experiment_id = :id ORDER BY number LIMIT :trials) t
 CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(t.reports) = 'array' THEN t.reports ELSE '[]' END)
       WITH ORDINALITY AS r(report, n)
 WHERE r.n <= :per_trial
   AND jsonb_typeof(r.report -> :metric) = 'number'
   AND jsonb_typeof(r.report -> 'step') = 'number'
 ORDER BY t.number, r.n
 LIMIT :limit
