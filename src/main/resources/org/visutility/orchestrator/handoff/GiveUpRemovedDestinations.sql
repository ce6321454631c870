-- Pending notifications of a destination removed from the settings would wait for ever: they are
-- given up, visibly (ops/runbook.md shows how to re-arm them).
UPDATE orchestrator.promotion_outbox
   SET given_up_at = now(), lease_until = NULL, last_error = 'destination removed from the settings'
 WHERE delivered_at IS NULL AND given_up_at IS NULL AND destination <> ALL(:destinations)
