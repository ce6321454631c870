-- Running experiments whose owner is provably gone (orchestrator.owner_is_gone: heartbeat older than
-- :staleAfterMs AND the owning node's Quartz check-in stale or absent; age alone never suffices). A
-- rescue hold ('rescuer:NODE', the milliseconds a rescue takes) is NODE's; :hold is this rescuer's
-- own, and a stale one is a rescue it could not finish (the database went away): taken again.
SELECT e.id, m.name AS model, e.status, e.version, e.owner, e.heartbeat_at, e.rescues, e.job_execution_id
  FROM orchestrator.experiment e
  JOIN orchestrator.model m ON m.id = e.model_id
 WHERE e.status = 'running'
   AND (orchestrator.owner_is_gone(e.owner, e.heartbeat_at, :staleAfterMs * interval '1 millisecond')
        OR (e.owner = :hold AND e.heartbeat_at < now() - :staleAfterMs * interval '1 millisecond'))
 ORDER BY e.id
