-- A version's current reference histograms, with where each came from.
SELECT feature, kind, edges, categories, counts, origin, window_start, window_end, set_by, set_at
  FROM orchestrator.reference_distribution
 WHERE model_version_id = :version AND superseded_at IS NULL
 ORDER BY feature
