-- Compare-and-set: the status changes only from the one the event recorded.
UPDATE orchestrator.model_version SET status = :to WHERE id = :id AND status = :from
