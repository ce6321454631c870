-- The model and version ids and the status of the (model, version) pairs of a batch; a pair without
-- a registered version has no row.
SELECT p.model, p.version, m.id AS model_id, v.id AS version_id, v.status
  FROM unnest(CAST(:models AS text[]), CAST(:versions AS text[])) AS p (model, version)
  JOIN orchestrator.model m ON m.name = p.model
  JOIN orchestrator.model_version v ON v.model_id = m.id AND v.version = p.version
