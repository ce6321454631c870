-- Registers the batch's unknown versions (source ingest) on first sight; returns those that were new.
INSERT INTO orchestrator.model_version (model_id, version, source)
SELECT m.id, p.version, 'ingest'
  FROM unnest(CAST(:models AS text[]), CAST(:versions AS text[])) AS p (model, version)
  JOIN orchestrator.model m ON m.name = p.model
 WHERE NOT EXISTS (SELECT 1 FROM orchestrator.model_version v WHERE v.model_id = m.id AND v.version = p.version)
 ORDER BY m.id, p.version
ON CONFLICT (model_id, version) DO NOTHING
RETURNING (SELECT m.name FROM orchestrator.model m WHERE m.id = model_id) AS model, version
