-- A rescuer holds an orphaned run for the moment of its rescue: fenced by the version it read, and
-- only if the owner is still provably gone at this very moment (heartbeat and Quartz check-in). The
-- version bump fences off the old owner should it wake up; rescues counts the rescue.
UPDATE orchestrator.experiment e
   SET owner = :hold, heartbeat_at = now(), version = e.version + 1, rescues = e.rescues + 1
 WHERE e.id = :id AND e.status = 'running' AND e.version = :seenVersion
   AND (orchestrator.owner_is_gone(e.owner, e.heartbeat_at, :staleAfterMs * interval '1 millisecond')
        OR (e.owner = :hold AND e.heartbeat_at < now() - :staleAfterMs * interval '1 millisecond'))
RETURNING e.version
