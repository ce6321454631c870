-- The fast path of drift conditions: per input, the counts a verdict needs, from the scores each
-- histogram got when it was written (orchestrator.distribution_score), without touching a bin.
-- Inputs as in DriftScores, plus per input the method, its line, whether it is judged on the
-- p-value (chi_square) and min_samples. The stored scores are the window's scores only when the
-- window holds one histogram per feature (histograms = features) scored under the version's
-- current reference generation (stale = 0); the caller re-scores the other inputs with DriftScores.
-- Shape, for speed: the inputs and the judged versions are materialised (their instants computed
-- once), the version judged is the newest histogram's (one index entry; among histograms of the
-- same instant, any), and each input's histograms are aggregated in its own lateral subquery over
-- an index-only scan (distribution_score_pass), so no sort spans the fleet.
WITH input AS MATERIALIZED (
    SELECT i.key, i.model_id, i.all_features, i.method, i.line, i.on_p, i.min_samples,
           timestamptz 'epoch' + i.at_us * interval '1 microsecond' AS at,
           timestamptz 'epoch' + (i.at_us - i.window_us) * interval '1 microsecond' AS since
      FROM unnest(:keys::int[], :model_ids::bigint[], :at_us::bigint[], :window_us::bigint[], :all_features::boolean[],
                  :methods::text[], :lines::float8[], :on_p::boolean[], :min_samples::bigint[])
           AS i(key, model_id, at_us, window_us, all_features, method, line, on_p, min_samples)
), listed AS (
    SELECT f.key, f.feature FROM unnest(:feature_keys::int[], :feature_names::text[]) AS f(key, feature)
), judged AS MATERIALIZED (
    SELECT input.*, v.model_version_id,
           coalesce((SELECT g.generation FROM orchestrator.reference_set g WHERE g.model_version_id = v.model_version_id), 0)
               AS generation
      FROM input
     CROSS JOIN LATERAL (
        SELECT s.model_version_id FROM orchestrator.distribution_score s
         WHERE s.model_id = input.model_id AND s.observed_at <= input.at AND s.observed_at > input.since
           AND s.ingested_at <= input.at
         ORDER BY s.observed_at DESC
         LIMIT 1) v
)
SELECT j.key, j.model_version_id, a.*
  FROM judged j
 CROSS JOIN LATERAL (
    SELECT count(*) AS histograms,
           count(DISTINCT r.feature) AS features,
           count(*) FILTER (WHERE r.reference_generation <> j.generation) AS stale,
           count(*) FILTER (WHERE r.judged IS NOT NULL AND r.sample_count >= j.min_samples) AS scored,
           count(*) FILTER (WHERE r.judged IS NOT NULL AND r.sample_count < j.min_samples) AS too_few,
           count(*) FILTER (WHERE r.judged IS NOT NULL AND r.sample_count >= j.min_samples
                              AND CASE WHEN j.on_p THEN r.judged < j.line ELSE r.judged > j.line END) AS drifted,
           CASE WHEN j.on_p THEN min(r.judged) FILTER (WHERE r.sample_count >= j.min_samples)
                ELSE max(r.judged) FILTER (WHERE r.sample_count >= j.min_samples) END AS extreme,
           (array_agg(r.feature ORDER BY r.feature) FILTER (WHERE r.judged IS NOT NULL AND r.sample_count >= j.min_samples
                                 AND CASE WHEN j.on_p THEN r.judged < j.line ELSE r.judged > j.line END))[1 : 20] AS drifted_features
      FROM (SELECT s.feature, s.sample_count, s.reference_generation,
                   CASE WHEN j.on_p THEN s.chi_square_p
                        ELSE CASE j.method WHEN 'psi' THEN s.psi WHEN 'jensen_shannon' THEN s.jensen_shannon ELSE s.wasserstein END
                   END AS judged
              FROM orchestrator.distribution_score s
             WHERE s.model_id = j.model_id AND s.observed_at <= j.at AND s.observed_at > j.since
               AND s.model_version_id = j.model_version_id AND s.ingested_at <= j.at
               AND (j.all_features OR EXISTS (SELECT 1 FROM listed l WHERE l.key = j.key AND l.feature = s.feature))) r
 ) a
