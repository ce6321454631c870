-- The rows-alone runs of bench trials, in their scratch database only: trial 0 running, the one the
-- first run ends (each run ends the running trial and opens the next, as a unit of the trials step does).
INSERT INTO orchestrator.trial (experiment_id, number, params, status, attempt, worker, started_at)
VALUES (:experiment, 0, CAST(:params AS jsonb), 'running', 1, :worker, clock_timestamp())
