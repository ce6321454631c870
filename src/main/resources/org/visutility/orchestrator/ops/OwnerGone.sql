-- Whether the node that last owned the experiment is provably gone (heartbeat and Quartz check-in stale).
SELECT orchestrator.owner_is_gone(owner, heartbeat_at, :staleAfterMs * interval '1 millisecond')
  FROM orchestrator.experiment WHERE id = :id
