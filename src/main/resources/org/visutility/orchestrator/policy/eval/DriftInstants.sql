-- The fastest path of drift conditions: per input whose window holds exactly one instant of the
-- model (orchestrator.drift_instant), every histogram of it known at the pass's instant, the same
-- counts as DriftSummary, from that one row. Inputs and output columns as in DriftSummary; an input
-- with no row here (no instant, several instants, or an instant partly ingested after the pass's
-- instant) is summarised by DriftSummary instead.
-- Judging: with all features and a min_samples no histogram falls short of, the counts are array
-- arithmetic on the method's sorted scores (width_bucket counts the scores at or below the line by
-- binary search; chi-square p-values are stored negated, so "below" is "above" too); otherwise the
-- row's aligned arrays are unnested and aggregated as DriftSummary aggregates histograms.
WITH input AS MATERIALIZED (
    SELECT i.key, i.model_id, i.all_features, i.method, i.line, i.on_p, i.min_samples,
           timestamptz 'epoch' + i.at_us * interval '1 microsecond' AS at,
           timestamptz 'epoch' + (i.at_us - i.window_us) * interval '1 microsecond' AS since
      FROM unnest(:keys::int[], :model_ids::bigint[], :at_us::bigint[], :window_us::bigint[], :all_features::boolean[],
                  :methods::text[], :lines::float8[], :on_p::boolean[], :min_samples::bigint[])
           AS i(key, model_id, at_us, window_us, all_features, method, line, on_p, min_samples)
), listed AS (
    SELECT f.key, f.feature FROM unnest(:feature_keys::int[], :feature_names::text[]) AS f(key, feature)
)
SELECT j.key, n.model_version_id, a.*
  FROM input j
 CROSS JOIN LATERAL (
    SELECT d.model_version_id, d.observed_at, d.histograms, d.distinct_features, d.last_ingested_at, d.oldest_generation,
           d.newest_generation, d.least_sample_count, d.feature_names, d.sample_counts, d.reference_generations,
           CASE WHEN j.on_p THEN d.chi_square_p
                ELSE CASE j.method WHEN 'psi' THEN d.psi WHEN 'jensen_shannon' THEN d.jensen_shannon ELSE d.wasserstein END
           END AS judged,
           CASE WHEN j.on_p THEN d.chi_square_p_negated_sorted
                ELSE CASE j.method WHEN 'psi' THEN d.psi_sorted WHEN 'jensen_shannon' THEN d.jensen_shannon_sorted
                                   ELSE d.wasserstein_sorted END
           END AS sorted,
           CASE WHEN j.on_p THEN -j.line ELSE j.line END AS oriented_line,
           coalesce((SELECT g.generation FROM orchestrator.reference_set g WHERE g.model_version_id = d.model_version_id), 0)
               AS generation
      FROM orchestrator.drift_instant d
     WHERE d.model_id = j.model_id AND d.observed_at <= j.at AND d.observed_at > j.since AND d.first_ingested_at <= j.at
     ORDER BY d.observed_at DESC
     LIMIT 1) n
 CROSS JOIN LATERAL (
    SELECT n.histograms::bigint AS histograms, n.distinct_features::bigint AS features,
           CASE WHEN n.oldest_generation = n.generation AND n.newest_generation = n.generation THEN 0
                ELSE (SELECT count(*) FROM unnest(n.reference_generations) g WHERE g <> n.generation) END AS stale,
           cardinality(n.sorted) AS scored,
           0 AS too_few,
           cardinality(n.sorted) - coalesce(width_bucket(n.oriented_line, n.sorted), 0) AS drifted,
           CASE WHEN j.on_p THEN -n.sorted[cardinality(n.sorted)] ELSE n.sorted[cardinality(n.sorted)] END AS extreme,
           CASE WHEN cardinality(n.sorted) > coalesce(width_bucket(n.oriented_line, n.sorted), 0) THEN
               (SELECT (array_agg(u.feature ORDER BY u.feature))[1 : 20]
                  FROM unnest(n.feature_names, n.judged) AS u(feature, judged)
                 WHERE CASE WHEN j.on_p THEN u.judged < j.line ELSE u.judged > j.line END)
           END AS drifted_features
     WHERE j.all_features AND j.min_samples <= n.least_sample_count
    UNION ALL
    SELECT count(*) AS histograms,
           count(DISTINCT r.feature) AS features,
           count(*) FILTER (WHERE r.reference_generation <> n.generation) AS stale,
           count(*) FILTER (WHERE r.judged IS NOT NULL AND r.sample_count >= j.min_samples) AS scored,
           count(*) FILTER (WHERE r.judged IS NOT NULL AND r.sample_count < j.min_samples) AS too_few,
           count(*) FILTER (WHERE r.judged IS NOT NULL AND r.sample_count >= j.min_samples
                              AND CASE WHEN j.on_p THEN r.judged < j.line ELSE r.judged > j.line END) AS drifted,
           CASE WHEN j.on_p THEN min(r.judged) FILTER (WHERE r.sample_count >= j.min_samples)
                ELSE max(r.judged) FILTER (WHERE r.sample_count >= j.min_samples) END AS extreme,
           (array_agg(r.feature ORDER BY r.feature) FILTER (WHERE r.judged IS NOT NULL AND r.sample_count >= j.min_samples
                                 AND CASE WHEN j.on_p THEN r.judged < j.line ELSE r.judged > j.line END))[1 : 20] AS drifted_features
      FROM unnest(n.feature_names, n.sample_counts, n.reference_generations, n.judged)
           AS r(feature, sample_count, reference_generation, judged)
     WHERE j.all_features OR EXISTS (SELECT 1 FROM listed l WHERE l.key = j.key AND l.feature = r.feature)
    HAVING NOT (j.all_features AND j.min_samples <= n.least_sample_count)
 ) a
 -- exactly one instant in the window, and all of it known at the pass's instant
 WHERE n.last_ingested_at <= j.at
   AND NOT EXISTS (SELECT 1 FROM orchestrator.drift_instant o
                    WHERE o.model_id = j.model_id AND o.observed_at <= j.at AND o.observed_at > j.since AND o.first_ingested_at <= j.at
                      AND (o.observed_at, o.model_version_id) <> (n.observed_at, n.model_version_id))
