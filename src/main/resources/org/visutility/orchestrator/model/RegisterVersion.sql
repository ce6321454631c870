-- A version first seen in a snapshot, registered with the status the serving rule gave it.
INSERT INTO orchestrator.model_version (model_id, version, source, status)
VALUES (:model, :version, 'ingest', :status)
RETURNING id
