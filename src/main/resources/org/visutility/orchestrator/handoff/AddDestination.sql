INSERT INTO orchestrator.promotion_destination (destination, registered_by)
VALUES (:destination, :node)
ON CONFLICT (destination) DO NOTHING
