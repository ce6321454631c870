-- ops restart --retry-failed: a failed experiment goes back to the queue for a new round of its run
-- (retry_round + 1, a new Spring Batch job instance) that re-runs its failed trials and continues to
-- its budget. Fenced by the version the command read; a restart by hand starts the rescue count over.
-- The completed job execution belongs to the round before (the intervention log keeps its id): the
-- new round records its own when it starts.
UPDATE orchestrator.experiment
   SET status = 'queued', error = NULL, finished_at = NULL, owner = NULL, heartbeat_at = NULL,
       dispatched_at = NULL, version = version + 1, rescues = 0, retry_round = retry_round + 1,
       job_execution_id = NULL
 WHERE id = :id AND status = 'failed' AND version = :seenVersion
RETURNING retry_round
