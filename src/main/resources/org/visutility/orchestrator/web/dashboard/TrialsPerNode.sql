-- An experiment's trials by the node that ran them (lineage.trial_history.worker: the node of each trial's
-- last attempt; a running trial counts under the node that runs it now), the nodes with the most trials
-- first: how many, how they ended, and the seconds their finished trials took there.
SELECT worker                                              AS node,
       count(*)                                            AS trials,
       count(*) FILTER (WHERE status = 'complete')         AS complete,
       count(*) FILTER (WHERE status = 'failed')           AS failed,
       count(*) FILTER (WHERE status = 'pruned')           AS pruned,
       count(*) FILTER (WHERE status = 'running')          AS running,
       round(CAST(coalesce(sum(duration_seconds), 0) AS numeric), 3) AS trial_seconds
  FROM lineage.trial_history
 WHERE experiment_id = :id AND worker IS NOT NULL
 GROUP BY worker
 ORDER BY count(*) DESC, worker
