-- Runs that look stuck: running with a heartbeat older than stale_after. Orphaned ones have an owner
-- that is provably gone too (its Quartz check-in is stale): the rescuer takes those; the others
-- belong to a node that lives but does not beat for them.
SELECT count(*) AS stuck,
       count(*) FILTER (WHERE orchestrator.owner_is_gone(owner, heartbeat_at, :staleAfterMs * interval '1 millisecond')) AS orphaned
  FROM orchestrator.experiment
 WHERE status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < now() - :staleAfterMs * interval '1 millisecond')
