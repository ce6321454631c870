-- The ids of models by name.
SELECT id, name FROM orchestrator.model WHERE name = ANY(:names::text[])
