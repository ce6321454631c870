-- The claimed revisions leave the review queue.
UPDATE orchestrator.metric_snapshot s
   SET decisions_reviewed_at = :at
  FROM unnest(:ids::bigint[], :observed::timestamptz[]) AS i(id, observed_at)
 WHERE s.id = i.id AND s.observed_at = i.observed_at
