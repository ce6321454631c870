UPDATE orchestrator.experiment SET job_execution_id = :jobExecutionId, heartbeat_at = now()
 WHERE id = :id AND version = :version AND status = 'running'
