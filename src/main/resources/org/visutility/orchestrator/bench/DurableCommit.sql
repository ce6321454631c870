-- The bench's floor: the smallest durable transaction, one row written (the bench experiment's
-- heartbeat) and committed; PostgreSQL flushes its WAL to disk before the commit returns.
UPDATE orchestrator.experiment SET heartbeat_at = now() WHERE id = :experiment
