-- The fast path of drift conditions: per input, the counts a verdict needs, from the scores each
-- histogram got when it was written (orchestrator.distribution_score), without touching a bin.
-- Inputs as in DriftScores, plus per input the method, its line, whether it is judged on the
-- p-value (chi_square) and min_samples. The stored scores are the window's scores only when the
-- window holds one histogram per feature (single) scored under the version's current reference
-- generation (current); the caller re-scores the other inputs exactly with DriftScores.
WITH input AS (
    SELECT i.key, i.model_id, i.all_features, i.method, i.line, i.on_p, i.min_samples,
           timestamptz 'epoch' + i.at_us * interval '1 microsecond' AS at,
           timestamptz 'epoch' + (i.at_us - i.window_us) * interval '1 microsecond' AS since
      FROM unnest(:keys::int[], :model_ids::bigint[], :at_us::bigint[], :window_us::bigint[], :all_features::boolean[],
                  :methods::text[], :lines::float8[], :on_p::boolean[], :min_samples::bigint[])
           AS i(key, model_id, at_us, window_us, all_features, method, line, on_p, min_samples)
), listed AS (
    SELECT f.key, f.feature FROM unnest(:feature_keys::int[], :feature_names::text[]) AS f(key, feature)
), judged AS (
    SELECT input.*, v.model_version_id, coalesce(g.generation, 0) AS generation
      FROM input
     CROSS JOIN LATERAL (
        SELECT s.model_version_id FROM orchestrator.distribution_score s
         WHERE s.model_id = input.model_id AND s.observed_at <= input.at AND s.observed_at > input.since
           AND s.ingested_at <= input.at
         ORDER BY s.observed_at DESC, s.distribution_id DESC
         LIMIT 1) v
      LEFT JOIN orchestrator.reference_set g ON g.model_version_id = v.model_version_id
), judged_rows AS (
    SELECT j.key, j.model_version_id, j.generation, j.on_p, j.line, j.min_samples, s.feature, s.sample_count,
           s.reference_id, s.reference_generation,
           CASE WHEN j.on_p THEN s.chi_square_p
                ELSE CASE j.method WHEN 'psi' THEN s.psi WHEN 'jensen_shannon' THEN s.jensen_shannon ELSE s.wasserstein END
           END AS judged
      FROM judged j
      JOIN orchestrator.distribution_score s
        ON s.model_id = j.model_id AND s.observed_at <= j.at AND s.observed_at > j.since AND s.model_version_id = j.model_version_id
       AND s.ingested_at <= j.at
     WHERE j.all_features OR EXISTS (SELECT 1 FROM listed l WHERE l.key = j.key AND l.feature = s.feature)
)
SELECT key, model_version_id,
       count(*) AS histograms,
       count(DISTINCT feature) AS features,
       count(*) FILTER (WHERE reference_generation <> generation) AS stale,
       count(*) FILTER (WHERE judged IS NOT NULL AND sample_count >= min_samples) AS scored,
       count(*) FILTER (WHERE judged IS NOT NULL AND sample_count < min_samples) AS too_few,
       count(*) FILTER (WHERE judged IS NOT NULL AND sample_count >= min_samples
                          AND CASE WHEN on_p THEN judged < line ELSE judged > line END) AS drifted,
       CASE WHEN bool_or(on_p) THEN min(judged) FILTER (WHERE sample_count >= min_samples)
            ELSE max(judged) FILTER (WHERE sample_count >= min_samples) END AS extreme,
       (array_agg(feature ORDER BY feature) FILTER (WHERE judged IS NOT NULL AND sample_count >= min_samples
                                                      AND CASE WHEN on_p THEN judged < line ELSE judged > line END))[1 : 20] AS drifted_features
  FROM judged_rows
 GROUP BY key, model_version_id
