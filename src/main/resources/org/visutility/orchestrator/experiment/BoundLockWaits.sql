-- For the rest of this transaction, a lock wait longer than :timeout fails the statement instead of
-- blocking the Quartz thread (and the node's shutdown, which waits for it).
SELECT set_config('lock_timeout', :timeout, true)
