-- The experiment's current best set stops being current; ReplaceBestSet then inserts the new one in
-- the same transaction. Only replaced_at changes: the set itself is history.
UPDATE orchestrator.hyperparameter_set
   SET replaced_at = now()
 WHERE id = :set AND replaced_at IS NULL
