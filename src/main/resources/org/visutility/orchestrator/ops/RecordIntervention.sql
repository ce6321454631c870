-- One line of the ops log: who changed which experiment from outside its run, how, and on what evidence.
INSERT INTO orchestrator.experiment_intervention
       (experiment_id, action, outcome, actor, previous_status, previous_owner, last_heartbeat_at, job_execution_id, note)
VALUES (:experimentId, :action, :outcome, :actor, :previousStatus, :previousOwner, :lastHeartbeatAt, :jobExecutionId, :note)
