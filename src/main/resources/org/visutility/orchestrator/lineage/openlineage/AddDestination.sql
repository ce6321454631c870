INSERT INTO orchestrator.openlineage_destination (destination, registered_by)
VALUES (:destination, :node)
ON CONFLICT (destination) DO NOTHING
