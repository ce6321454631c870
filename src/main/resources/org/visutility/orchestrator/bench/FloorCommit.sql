-- The floor: the smallest durable transaction, one row written and committed; PostgreSQL flushes
-- its WAL to disk before the commit returns.
UPDATE bench_commit_floor SET written_at = now() WHERE id = 1
