-- A model by its name, registered if it is new (an operator may register a version before its first snapshot).
WITH added AS (
    INSERT INTO orchestrator.model (name) VALUES (:name)
    ON CONFLICT (name) DO NOTHING
    RETURNING id
)
SELECT id FROM added
UNION ALL
SELECT id FROM orchestrator.model WHERE name = :name
