-- For each input (key, model_id, metric, at_us, first_k): the model version of the latest
-- snapshot of the metric observed at or before the evaluation time, when that version was first
-- observed, and the mean (plain and sample-weighted) of its first first_k snapshots of the metric
-- (first_k 0: the version only). All three are index lookups (metric_value_lookup backwards,
-- metric_value_version_first forwards), whatever the length of the stored history.
-- Values are read as known at known_us (NULL: today's current revisions), as in WindowAggregates;
-- with settled_only the baseline counts only snapshots settled at the evaluation time. Both indexes
-- INCLUDE the columns these tests read, so the lookups stay index-only.
WITH input AS (
    SELECT i.key, i.model_id, i.metric, i.first_k, i.settled_only,
           timestamptz 'epoch' + i.at_us * interval '1 microsecond' AS at,
           coalesce(timestamptz 'epoch' + i.known_us * interval '1 microsecond', timestamptz 'infinity') AS known_at
      FROM unnest(:keys::int[], :model_ids::bigint[], :metrics::text[], :at_us::bigint[], :first_k::int[], :known_us::bigint[],
                  :settled_only::boolean[])
           AS i(key, model_id, metric, at_us, first_k, known_us, settled_only)
)
SELECT input.key, cur.model_version_id AS version_id,
       (SELECT f.observed_at FROM orchestrator.metric_value f
         WHERE f.model_version_id = cur.model_version_id AND f.metric = input.metric AND f.observed_at <= input.at
           AND f.recorded_at <= input.known_at AND (f.superseded_at IS NULL OR f.superseded_at > input.known_at)
         ORDER BY f.observed_at LIMIT 1) AS version_since,
       b.snapshots AS baseline_snapshots, b.mean_value AS baseline_mean, b.weighted_mean_value AS baseline_weighted_mean,
       b.evidence AS baseline_evidence
  FROM input
 CROSS JOIN LATERAL (
    SELECT v.model_version_id FROM orchestrator.metric_value v
     WHERE v.model_id = input.model_id AND v.metric = input.metric AND v.observed_at <= input.at
       AND v.recorded_at <= input.known_at AND (v.superseded_at IS NULL OR v.superseded_at > input.known_at)
     ORDER BY v.observed_at DESC
     LIMIT 1
 ) cur
 CROSS JOIN LATERAL (
    SELECT count(*) AS snapshots, avg(f.value) AS mean_value,
           sum(f.value * f.sample_count) / nullif(sum(f.sample_count), 0) AS weighted_mean_value,
           array_agg(f.snapshot_id ORDER BY f.observed_at) AS evidence
      FROM (SELECT v.value, v.sample_count, v.snapshot_id, v.observed_at
              FROM orchestrator.metric_value v
             WHERE v.model_version_id = cur.model_version_id AND v.metric = input.metric AND v.observed_at <= input.at
               AND v.recorded_at <= input.known_at AND (v.superseded_at IS NULL OR v.superseded_at > input.known_at)
               AND (NOT input.settled_only OR v.settled_at <= input.at)
             ORDER BY v.observed_at
             LIMIT input.first_k) f
 ) b
