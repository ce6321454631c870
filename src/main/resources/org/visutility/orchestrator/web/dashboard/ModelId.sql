SELECT id FROM orchestrator.model WHERE name = :name
