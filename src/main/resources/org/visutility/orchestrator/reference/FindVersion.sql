-- A version's id by its model's name and its label.
SELECT v.id
  FROM orchestrator.model_version v
  JOIN orchestrator.model m ON m.id = v.model_id
 WHERE m.name = :model AND v.version = :version
