-- The open trials of an experiment that a worker other than the owner took and whose node is gone: its
-- Quartz check-in (the cluster membership every node keeps) is older than two check-in intervals, or
-- its node left no row. The owner runs them again elsewhere.
SELECT t.number, t.attempt, t.worker
  FROM orchestrator.trial t
 WHERE t.experiment_id = :experiment AND t.status = 'running' AND t.worker <> :owner
   AND NOT EXISTS (SELECT 1 FROM quartz.qrtz_scheduler_state s
                    WHERE s.sched_name = :scheduler AND s.instance_name = t.worker
                      AND s.last_checkin_time + 2 * s.checkin_interval > :nowMs)
