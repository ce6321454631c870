-- Staged histograms of models or versions that are not registered (when registering on first sight is off).
SELECT s.position, s.model, s.version, m.id IS NULL AS unknown_model, count(*) OVER () AS total
  FROM pg_temp.distribution_staging s
  LEFT JOIN orchestrator.model m ON m.name = s.model
  LEFT JOIN orchestrator.model_version v ON v.model_id = m.id AND v.version = s.version
 WHERE v.id IS NULL
 ORDER BY s.position
 LIMIT :limit
