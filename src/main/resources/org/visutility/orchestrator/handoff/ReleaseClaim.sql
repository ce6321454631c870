-- A claimed notification this node will not send after all (it is stopping): due again at once for any node.
UPDATE orchestrator.promotion_outbox
   SET lease_until = NULL
 WHERE id = :id AND attempts = :attempts AND delivered_at IS NULL AND given_up_at IS NULL
