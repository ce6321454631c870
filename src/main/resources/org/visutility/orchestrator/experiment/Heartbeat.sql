-- The owner says it is alive; 0 rows means it no longer owns the run (cancelled or taken over).
UPDATE orchestrator.experiment SET heartbeat_at = now()
 WHERE id = :id AND version = :version AND status = 'running'
