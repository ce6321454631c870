-- Claims up to :batch pending events that are due, for the destinations this node can send to:
-- each gets a lease (no other node takes it before lease_until) and its attempt counted, and the
-- claim commits at once, so no transaction stays open while the event is sent. An end event waits
-- until its experiment's START to the same destination is delivered or given up: START goes first.
-- SKIP LOCKED: two nodes claiming at once take different rows.
UPDATE orchestrator.openlineage_outbox o
   SET attempts = o.attempts + 1, leased_by = :node,
       lease_until = now() + :lease_ms * interval '1 millisecond'
 WHERE o.id IN (
       SELECT p.id
         FROM orchestrator.openlineage_outbox p
        WHERE p.delivered_at IS NULL AND p.given_up_at IS NULL
          AND p.next_attempt_at <= now()
          AND (p.lease_until IS NULL OR p.lease_until <= now())
          AND p.destination = ANY(:destinations)
          AND (p.event_type = 'START' OR NOT EXISTS (
                SELECT 1
                  FROM orchestrator.openlineage_outbox s
                 WHERE s.experiment_id = p.experiment_id AND s.destination = p.destination
                   AND s.event_type = 'START' AND s.delivered_at IS NULL AND s.given_up_at IS NULL))
        ORDER BY p.next_attempt_at, p.id
        LIMIT :batch
          FOR UPDATE SKIP LOCKED)
RETURNING o.id, o.experiment_id, o.event_type, o.destination, o.attempts
