-- Sent with the unit's last statement (TrialsUnit.sql) in the same round trip: the unit's transaction
-- commits as soon as that statement succeeded, durably (synchronous_commit) before the reply comes
-- back; when the statement fails, the server skips this and the transaction stays open to be rolled
-- back. Spring Batch's commit that follows finds no transaction left open and sends nothing.
COMMIT
