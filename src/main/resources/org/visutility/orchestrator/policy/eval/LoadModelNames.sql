-- The names of the given models.
SELECT id, name FROM orchestrator.model WHERE id = ANY(:ids::bigint[])
