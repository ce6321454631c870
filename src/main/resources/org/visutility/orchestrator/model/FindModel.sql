-- A model's id by its name.
SELECT id FROM orchestrator.model WHERE name = :name
