SELECT e.id, m.name AS model, e.status, e.version, e.owner, e.heartbeat_at, e.spec, e.spec_sha256,
       e.job_execution_id, e.started_at, e.attempt, e.trigger, e.error, e.retry_round
  FROM orchestrator.experiment e
  JOIN orchestrator.model m ON m.id = e.model_id
 WHERE e.id = :id
