-- A new policy at version 1 (nothing if the name was taken meanwhile).
INSERT INTO orchestrator.retrain_policy (name, model_id, current_version, enabled, source_file)
VALUES (:name, :model_id, 1, true, :source_file)
ON CONFLICT (name) DO NOTHING
RETURNING id
