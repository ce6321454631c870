-- A node takes a queued experiment to run it; the version bump fences off anyone who saw it before.
UPDATE orchestrator.experiment
   SET status = 'running', owner = :owner, heartbeat_at = now(), started_at = coalesce(started_at, now()),
       attempt = attempt + 1, version = version + 1, error = NULL, orchestrator_version = :orchestratorVersion
 WHERE id = :id AND status = 'queued'
RETURNING version, attempt, started_at
