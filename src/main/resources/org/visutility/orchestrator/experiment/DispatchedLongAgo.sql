-- Handed to Quartz a while ago and still queued: their one-shot job may have been lost (a node died
-- between the hand-off and the scheduling); the dispatcher checks and schedules them again.
SELECT id FROM orchestrator.experiment
 WHERE status = 'queued' AND dispatched_at < now() - :afterMs * interval '1 millisecond'
 ORDER BY id
