-- A model's id by name.
SELECT id FROM orchestrator.model WHERE name = :name
