-- The open trials of an experiment that a worker other than the owner took and whose node is gone: its
-- Quartz check-in (the cluster membership every node keeps) is older than two check-in intervals plus
-- Quartz's own 7.5 s grace for a late check-in (a busy node's check-in lags; judging it gone would run
-- its trial twice), or its node has no row (Quartz deletes a failed node's row when it recovers it) and
-- the attempt started over 30 s ago (a node that is starting may take a trial before its first check-in).
-- The owner runs them again elsewhere.
SELECT t.number, t.attempt, t.worker
  FROM orchestrator.trial t
 WHERE t.experiment_id = :experiment AND t.status = 'running' AND t.worker <> :owner
   AND NOT EXISTS (SELECT 1 FROM quartz.qrtz_scheduler_state s
                    WHERE s.sched_name = :scheduler AND s.instance_name = t.worker
                      AND s.last_checkin_time + 2 * s.checkin_interval + 7500 > :nowMs)
   AND (EXISTS (SELECT 1 FROM quartz.qrtz_scheduler_state s
                 WHERE s.sched_name = :scheduler AND s.instance_name = t.worker)
        OR t.started_at < clock_timestamp() - interval '30 seconds')
