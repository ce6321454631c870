-- A proposed trial, committed as running before its trainer starts; UNIQUE (experiment_id, number)
-- makes a second recording of the same number impossible.
INSERT INTO orchestrator.trial (experiment_id, number, params, status, attempt, worker, started_at, orchestrator_version)
VALUES (:experiment, :number, CAST(:params AS jsonb), 'running', 1, :worker, clock_timestamp(), :orchestratorVersion)
