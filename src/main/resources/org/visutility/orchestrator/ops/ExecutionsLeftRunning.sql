-- Spring Batch executions still STARTING, STARTED or STOPPING whose experiment has already ended (or
-- failed) and whose last owner is provably gone: no process will ever end them. (Runs still marked
-- running are the rescuer's; queued ones are recovered by the node that launches them.)
SELECT e.id AS experiment_id, e.status, je.job_execution_id
  FROM batch.batch_job_execution je
  JOIN batch.batch_job_execution_params p
    ON p.job_execution_id = je.job_execution_id AND p.parameter_name = 'experiment_id'
  JOIN orchestrator.experiment e ON e.id = CAST(p.parameter_value AS bigint)
 WHERE je.status IN ('STARTING', 'STARTED', 'STOPPING')
   AND e.status NOT IN ('running', 'queued')
   AND orchestrator.owner_is_gone(e.owner, e.heartbeat_at, :staleAfterMs * interval '1 millisecond')
 ORDER BY je.job_execution_id
