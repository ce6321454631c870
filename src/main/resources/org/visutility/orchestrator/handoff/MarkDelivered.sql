-- The destination accepted it. Not fenced by the attempt: whichever claim got it through, it is
-- delivered (a second claim after a lapsed lease may have sent it again: at least once).
UPDATE orchestrator.promotion_outbox
   SET delivered_at = now(), last_attempt_at = now(), lease_until = NULL, last_error = NULL
 WHERE id = :id AND delivered_at IS NULL AND given_up_at IS NULL
