-- Claims up to :batch pending notifications that are due, for the destinations this node can send
-- to: each gets a lease (no other node takes it before lease_until) and its attempt counted, and the
-- claim commits at once, so no transaction stays open while it is sent. Oldest first.
-- SKIP LOCKED: two nodes claiming at once take different rows.
UPDATE orchestrator.promotion_outbox o
   SET attempts = o.attempts + 1, leased_by = :node,
       lease_until = now() + :lease_ms * interval '1 millisecond'
 WHERE o.id IN (
       SELECT p.id
         FROM orchestrator.promotion_outbox p
        WHERE p.delivered_at IS NULL AND p.given_up_at IS NULL
          AND p.next_attempt_at <= now()
          AND (p.lease_until IS NULL OR p.lease_until <= now())
          AND p.destination = ANY(:destinations)
        ORDER BY p.next_attempt_at, p.id
        LIMIT :batch
          FOR UPDATE SKIP LOCKED)
RETURNING o.id, o.delivery_id, o.event, o.destination, o.attempts, o.payload::text AS body,
          o.payload ->> 'model' AS model, o.payload ->> 'version' AS version, o.payload ->> 'artifact_uri' AS artifact_uri
