-- An experiment's result as a new version of its model: a candidate until it is judged.
INSERT INTO orchestrator.model_version (model_id, version, source, experiment_id, hyperparameter_set_id, artifact_uri, status)
SELECT e.model_id, :version, 'experiment', e.id, :hyperparameterSet, :artifactUri, 'candidate'
  FROM orchestrator.experiment e WHERE e.id = :experiment
RETURNING id
