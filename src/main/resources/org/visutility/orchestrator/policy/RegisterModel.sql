-- A policy may name a model before any snapshot of it arrives: register it (explicitly), or find it.
WITH inserted AS (
    INSERT INTO orchestrator.model (name) VALUES (:name) ON CONFLICT (name) DO NOTHING RETURNING id
)
SELECT id FROM inserted
UNION ALL
SELECT id FROM orchestrator.model WHERE name = :name
LIMIT 1
