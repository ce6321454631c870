-- After the predicate's transaction has been rolled back: does the connection still hold a lock?
-- Only session-level advisory locks (pg_advisory_lock) outlive a transaction.
SELECT EXISTS (SELECT FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory')
