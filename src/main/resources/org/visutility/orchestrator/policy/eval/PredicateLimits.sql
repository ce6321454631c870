-- The predicate's own bounds for this transaction, set by the node before the predicate's text runs
-- (as one subquery, which cannot SET anything; a set_config() in it ends with the rolled-back
-- transaction, and the statement's timer is armed when the statement starts).
SELECT set_config('statement_timeout', :statement_timeout, true)                   AS statement_timeout,
       set_config('lock_timeout', :lock_timeout, true)                             AS lock_timeout,
       set_config('idle_in_transaction_session_timeout', :idle_timeout, true)      AS idle_timeout
