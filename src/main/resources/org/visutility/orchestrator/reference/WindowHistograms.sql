-- The production histograms of one version in (window_start, window_end], optionally of one segment
-- and one source, in a stable order; summed per feature by ProductionWindow.
SELECT feature, kind, edges, categories, counts
  FROM orchestrator.distribution_snapshot
 WHERE model_version_id = :version
   AND observed_at > :start AND observed_at <= :end
   AND (CAST(:segment AS text) IS NULL OR segment = :segment)
   AND (CAST(:source AS text) IS NULL OR source = :source)
 ORDER BY feature, observed_at, segment, source
