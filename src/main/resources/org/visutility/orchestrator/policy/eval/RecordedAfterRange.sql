-- How many snapshots (current revisions) of the replayed models observed in the replayed range
-- were recorded only after its end (a backfill, or a revision): a replay as known at each instant
-- cannot see those values. Counted up to :cap, through metric_snapshot_model_time over the range alone.
SELECT count(*) FROM (
    SELECT 1
      FROM orchestrator.metric_snapshot s
     WHERE s.model_id = ANY(:model_ids::bigint[])
       AND s.observed_at >= :from AND s.observed_at <= :to
       AND s.ingested_at > :to AND s.superseded_at IS NULL
     LIMIT :cap) later
