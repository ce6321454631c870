-- The model's realised :metric per window end within [from, to), the newest :limit, oldest first:
-- the sample-weighted mean of the current revisions of its ordinary snapshots (labels landed), all
-- segments and versions, as decisions are reconciled.
SELECT r.observed_at, r.value, r.sample_count
  FROM (SELECT v.observed_at,
               coalesce(sum(v.value * v.sample_count) / nullif(sum(v.sample_count), 0), avg(v.value)) AS value,
               sum(v.sample_count) AS sample_count
          FROM orchestrator.metric_value v
         WHERE v.model_id = :model_id AND v.metric = :metric AND v.superseded_at IS NULL
           AND v.observed_at >= coalesce(CAST(:from AS timestamptz), '-infinity')
           AND v.observed_at <  coalesce(CAST(:to AS timestamptz), 'infinity')
         GROUP BY v.observed_at
         ORDER BY v.observed_at DESC
         LIMIT :limit) r
 ORDER BY r.observed_at
