-- Staged histograms whose key is stored with another histogram (kind, edges, values or counts differ).
-- Run only when some staged ones were not new; the rest of those are plain duplicates.
SELECT s.position, s.model, s.version, s.observed_at, s.segment, s.source, s.feature
  FROM pg_temp.distribution_staging s
  JOIN orchestrator.model m ON m.name = s.model
  JOIN orchestrator.model_version v ON v.model_id = m.id AND v.version = s.version
  JOIN orchestrator.distribution_snapshot d
    ON d.model_version_id = v.id AND d.feature = s.feature AND d.segment = s.segment AND d.source = s.source
   AND d.observed_at = s.observed_at
 WHERE d.kind <> s.kind OR d.edges IS DISTINCT FROM s.edges OR d.categories IS DISTINCT FROM s.categories OR d.counts <> s.counts
 ORDER BY s.position
 LIMIT :limit
