SELECT m.name, m.id AS model_id, v.id AS version_id
  FROM orchestrator.model m
  JOIN orchestrator.model_version v ON v.model_id = m.id AND v.version = :version
