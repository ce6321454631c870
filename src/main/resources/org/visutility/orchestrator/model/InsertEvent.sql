-- One status change of a version, written before the status itself, in the same transaction.
INSERT INTO orchestrator.model_version_event (model_version_id, from_status, to_status, actor, reason, evidence)
VALUES (:version, :from, :to, :actor, :reason, CAST(:evidence AS jsonb))
RETURNING id, at
