-- The model's estimated :metric (accuracy, precision or recall) per production window end within
-- [from, to), the newest :limit, oldest first: CBPE over the window's prediction histograms (all
-- segments and versions) as scored when written against their version's calibration
-- (orchestrator.distribution_score): expected correct over predictions (accuracy), expected true
-- positives over predicted positives (precision) or over expected positives (recall).
SELECT e.observed_at, e.value, e.sample_count
  FROM (SELECT s.observed_at,
               CASE CAST(:metric AS text)
                    WHEN 'accuracy' THEN sum(s.expected_correct) / nullif(sum(s.sample_count), 0)
                    WHEN 'precision' THEN sum(s.expected_true_pos) / nullif(sum(s.predicted_pos), 0)
                    ELSE sum(s.expected_true_pos) / nullif(sum(s.expected_pos), 0) END AS value,
               sum(s.sample_count) AS sample_count
          FROM orchestrator.distribution_score s
         WHERE s.model_id = :model_id AND s.feature = 'prediction' AND s.calibration_id IS NOT NULL
           AND s.observed_at >= coalesce(CAST(:from AS timestamptz), '-infinity')
           AND s.observed_at <  coalesce(CAST(:to AS timestamptz), 'infinity')
         GROUP BY s.observed_at
         ORDER BY s.observed_at DESC
         LIMIT :limit) e
 WHERE e.value IS NOT NULL
 ORDER BY e.observed_at
