-- ops abandon: a failed experiment, or a running one whose owner is provably gone (same rule as the
-- rescuer), ends as abandoned and is never restarted. Fenced by the version the command read.
UPDATE orchestrator.experiment e
   SET status = 'abandoned', finished_at = now(), version = e.version + 1,
       error = coalesce(e.error || ' | ', '') || 'abandoned by ops abandon'
 WHERE e.id = :id AND e.version = :seenVersion
   AND (e.status = 'failed'
        OR (e.status = 'running' AND orchestrator.owner_is_gone(e.owner, e.heartbeat_at, :staleAfterMs * interval '1 millisecond')))
RETURNING e.id
