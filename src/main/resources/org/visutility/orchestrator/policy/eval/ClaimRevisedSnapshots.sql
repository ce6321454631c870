-- The next superseded revisions whose decisions were not re-checked yet, oldest revision first,
-- locked for this pass: another node's pass skips them (SKIP LOCKED) and takes the next ones, and
-- once this pass commits they are marked reviewed and leave the queue (metric_snapshot_awaiting_review).
SELECT s.id, s.observed_at
  FROM orchestrator.metric_snapshot s
 WHERE s.superseded_at IS NOT NULL AND s.decisions_reviewed_at IS NULL
 ORDER BY s.superseded_at, s.id
 LIMIT :limit
   FOR UPDATE SKIP LOCKED
