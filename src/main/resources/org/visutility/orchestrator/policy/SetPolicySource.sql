-- An unchanged policy now applied from another file: remember that file (its spec and version stay).
UPDATE orchestrator.retrain_policy SET source_file = :source_file WHERE id = :policy_id
