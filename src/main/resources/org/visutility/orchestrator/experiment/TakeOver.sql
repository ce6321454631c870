-- A node takes over a running experiment whose owner is gone: only if nobody changed it since it was
-- read (version), its owner has been silent for rescue_after, and it was rescued fewer than
-- rescue_max_attempts times. The takeover is logged in experiment_intervention.
WITH before AS (
    SELECT id, owner, heartbeat_at, job_execution_id FROM orchestrator.experiment WHERE id = :id),
taken AS (
    UPDATE orchestrator.experiment e
       SET owner = :owner, heartbeat_at = now(), attempt = attempt + 1, version = version + 1, rescues = rescues + 1,
           orchestrator_version = :orchestratorVersion
      FROM before b
     WHERE e.id = b.id AND e.status = 'running' AND e.version = :seenVersion AND e.rescues < :maxRescues
       AND (e.heartbeat_at IS NULL OR e.heartbeat_at < now() - :rescueAfterMs * interval '1 millisecond')
    RETURNING e.id, e.version, e.attempt, e.started_at, b.owner AS previous_owner, b.heartbeat_at AS last_heartbeat_at,
              b.job_execution_id),
noted AS (
    INSERT INTO orchestrator.experiment_intervention
           (experiment_id, action, outcome, actor, previous_status, previous_owner, last_heartbeat_at, job_execution_id, note)
    SELECT id, 'takeover', 'taken_over', :owner, 'running', previous_owner, last_heartbeat_at, job_execution_id,
           'Quartz re-fired the run''s job on this node after its node stopped checking in'
      FROM taken)
SELECT version, attempt, started_at FROM taken
