-- The artifact of a version that had none (a version first seen in a snapshot); an artifact once recorded never changes.
UPDATE orchestrator.model_version SET artifact_uri = :artifactUri
 WHERE id = :id AND artifact_uri IS NULL
