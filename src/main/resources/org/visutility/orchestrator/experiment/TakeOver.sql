-- A node takes over a running experiment whose owner is gone: only if nobody changed it since it was
-- read (version) and its owner has been silent for rescue_after.
UPDATE orchestrator.experiment
   SET owner = :owner, heartbeat_at = now(), attempt = attempt + 1, version = version + 1,
       orchestrator_version = :orchestratorVersion
 WHERE id = :id AND status = 'running' AND version = :seenVersion
   AND (heartbeat_at IS NULL OR heartbeat_at < now() - :rescueAfterMs * interval '1 millisecond')
RETURNING version, attempt, started_at
