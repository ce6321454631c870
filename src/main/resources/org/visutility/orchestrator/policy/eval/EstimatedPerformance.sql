-- Per estimated-performance input: the CBPE sums of the window's histograms of the feature
-- prediction, for the version that sent the newest of them, on that version's current calibration.
-- Inputs: key, model_id, at_us (epoch microseconds), window_us. A histogram scored when written
-- against the calibration still current reads its stored quantities; any other is computed here.
-- comparable is false when a histogram's edges differ from the calibration's.
WITH input AS (
    SELECT i.key, i.model_id,
           timestamptz 'epoch' + i.at_us * interval '1 microsecond' AS at,
           timestamptz 'epoch' + (i.at_us - i.window_us) * interval '1 microsecond' AS since
      FROM unnest(:keys::int[], :model_ids::bigint[], :at_us::bigint[], :window_us::bigint[]) AS i(key, model_id, at_us, window_us)
), judged AS (
    SELECT input.*, v.model_version_id
      FROM input
     CROSS JOIN LATERAL (
        SELECT s.model_version_id FROM orchestrator.distribution_score s
         WHERE s.model_id = input.model_id AND s.feature = 'prediction'
           AND s.observed_at <= input.at AND s.observed_at > input.since AND s.ingested_at <= input.at
         ORDER BY s.observed_at DESC, s.distribution_id DESC
         LIMIT 1) v
)
SELECT j.key, j.model_version_id, j.at, j.since, count(*) AS histograms, sum(s.sample_count) AS samples,
       c.id AS calibration_id, c.calibration_error,
       bool_and(x.e IS NOT NULL) AS comparable,
       sum(x.e[1]) AS expected_correct, sum(x.e[2]) AS expected_true_pos, sum(x.e[3]) AS predicted_pos, sum(x.e[4]) AS expected_pos
  FROM judged j
  JOIN orchestrator.distribution_score s
    ON s.model_id = j.model_id AND s.feature = 'prediction' AND s.model_version_id = j.model_version_id
   AND s.observed_at <= j.at AND s.observed_at > j.since AND s.ingested_at <= j.at
  LEFT JOIN orchestrator.reference_calibration c ON c.model_version_id = j.model_version_id AND c.superseded_at IS NULL
 CROSS JOIN LATERAL (
    SELECT CASE WHEN c.id IS NULL THEN NULL
                WHEN s.calibration_id = c.id THEN ARRAY[s.expected_correct, s.expected_true_pos, s.predicted_pos, s.expected_pos]
                ELSE (SELECT orchestrator.cbpe_counts(d.edges, d.counts, c.edges, c.observed_rate, c.threshold)
                        FROM orchestrator.distribution_snapshot d WHERE d.id = s.distribution_id)
           END AS e) x
 GROUP BY j.key, j.model_version_id, j.at, j.since, c.id, c.calibration_error
