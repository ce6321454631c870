-- A custom predicate's transaction is read-only, whatever the role's own defaults say.
SET TRANSACTION READ ONLY
