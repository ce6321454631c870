SELECT status, version FROM orchestrator.experiment WHERE id = :experiment FOR UPDATE
