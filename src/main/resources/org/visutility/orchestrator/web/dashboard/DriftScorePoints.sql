-- Per feature of :features and segment, the newest :limit drift scores by :method (psi,
-- jensen_shannon, wasserstein, or chi_square for its p-value) of the model's production histograms
-- within [from, to), oldest first, as each was scored against its version's reference when written
-- (lineage.feature_drift). A histogram that could not be compared has a NULL score.
SELECT x.feature, x.segment, x.model_version AS version, x.observed_at, x.sample_count, x.score
  FROM (SELECT f.feature, f.segment, f.model_version, f.observed_at, f.sample_count,
               CASE CAST(:method AS text)
                    WHEN 'psi' THEN f.psi
                    WHEN 'jensen_shannon' THEN f.jensen_shannon
                    WHEN 'wasserstein' THEN f.wasserstein
                    ELSE f.chi_square_p END AS score,
               row_number() OVER (PARTITION BY f.feature, f.segment ORDER BY f.observed_at DESC, f.distribution_id DESC) AS newest
          FROM lineage.feature_drift f
         WHERE f.model_id = :model_id
           AND f.feature = ANY (CAST(:features AS text[]))
           AND f.observed_at >= coalesce(CAST(:from AS timestamptz), '-infinity')
           AND f.observed_at <  coalesce(CAST(:to AS timestamptz), 'infinity')) x
 WHERE x.newest <= :limit
 ORDER BY x.feature, x.segment, x.observed_at
