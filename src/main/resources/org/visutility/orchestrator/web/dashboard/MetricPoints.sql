-- The newest :limit current values (the latest revision of each key) of one metric of a model within
-- [from, to), oldest first, with the version, segment and source of their snapshot.
SELECT v.observed_at, v.value, v.sample_count, mv.version, s.segment, s.source
  FROM (SELECT mvl.snapshot_id, mvl.observed_at, mvl.value, mvl.sample_count, mvl.model_version_id
          FROM orchestrator.metric_value mvl
         WHERE mvl.model_id = :model_id
           AND mvl.metric = :metric
           AND mvl.observed_at >= coalesce(CAST(:from AS timestamptz), '-infinity')
           AND mvl.observed_at <  coalesce(CAST(:to AS timestamptz), 'infinity')
           AND mvl.superseded_at IS NULL
         ORDER BY mvl.observed_at DESC
         LIMIT :limit) v
  JOIN orchestrator.model_version mv ON mv.id = v.model_version_id
  JOIN orchestrator.metric_snapshot s ON s.id = v.snapshot_id AND s.observed_at = v.observed_at
 ORDER BY v.observed_at, mv.version, s.segment, s.source
