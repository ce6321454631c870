-- A version an operator registers with its artifact: a candidate until it is judged or promoted.
INSERT INTO orchestrator.model_version (model_id, version, source, artifact_uri, status)
VALUES (:model, :version, 'manual', :artifactUri, 'candidate')
RETURNING id
