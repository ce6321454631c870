-- The attempt failed: record why and when to try again, or give up once the notification has been
-- armed for :give_up_after_ms. Fenced by the attempt counter: only the latest claim records its outcome.
UPDATE orchestrator.promotion_outbox
   SET last_error = :error, last_attempt_at = now(), lease_until = NULL,
       next_attempt_at = now() + :backoff_ms * interval '1 millisecond',
       given_up_at = CASE WHEN armed_at <= now() - :give_up_after_ms * interval '1 millisecond' THEN now() END
 WHERE id = :id AND attempts = :attempts AND delivered_at IS NULL AND given_up_at IS NULL
RETURNING given_up_at IS NOT NULL AS given_up
