-- The oldest queued experiments not yet handed to Quartz, as many as there are free slots.
WITH picked AS (
    SELECT id FROM orchestrator.experiment
     WHERE status = 'queued' AND dispatched_at IS NULL
     ORDER BY queued_at, id
     LIMIT :slots
       FOR UPDATE SKIP LOCKED)
UPDATE orchestrator.experiment e SET dispatched_at = now()
  FROM picked WHERE e.id = picked.id
RETURNING e.id
