-- The statements that make the database's policy-condition role what it must be (run by an
-- administrator, who alone may alter a role): a login, read-only by default, whose statements and
-- waits are bounded whatever its own SQL sets. A condition's own timeout (at most 1m) is set per
-- transaction by the node; these are the ceilings.
SELECT statement
  FROM (VALUES (1, CASE WHEN :create THEN format('CREATE ROLE %I LOGIN', :conditions) END),
               (2, format('ALTER ROLE %I LOGIN', :conditions)),
               (3, format('ALTER ROLE %I SET default_transaction_read_only = on', :conditions)),
               (4, format('ALTER ROLE %I SET statement_timeout = %L', :conditions, '1min')),
               (5, format('ALTER ROLE %I SET lock_timeout = %L', :conditions, '5s')),
               (6, format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', :conditions, '1min')))
       AS s (step, statement)
 WHERE statement IS NOT NULL
 ORDER BY step
