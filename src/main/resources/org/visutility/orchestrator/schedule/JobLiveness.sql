-- Every cluster-wide recurring job (a durable Quartz job; the one-shot experiment runs are not) with
-- its trigger, its interval (a simple trigger's repeat interval or a cron trigger's expression) and
-- its last runs from orchestrator.job_run, whichever node ran them; and the database's clock, which
-- wrote job_run's times. A job with several triggers is listed once, with the trigger due first.
SELECT DISTINCT ON (j.job_group, j.job_name)
       j.job_group || '.' || j.job_name AS job,
       t.trigger_state, t.start_time, s.repeat_interval, c.cron_expression, c.time_zone_id,
       r.last_success_at, r.last_success_node, r.last_failure_at, r.last_failure_node, r.last_error,
       now() AS now
  FROM quartz.qrtz_job_details j
  LEFT JOIN quartz.qrtz_triggers t
         ON t.sched_name = j.sched_name AND t.job_name = j.job_name AND t.job_group = j.job_group
  LEFT JOIN quartz.qrtz_simple_triggers s
         ON s.sched_name = t.sched_name AND s.trigger_name = t.trigger_name AND s.trigger_group = t.trigger_group
  LEFT JOIN quartz.qrtz_cron_triggers c
         ON c.sched_name = t.sched_name AND c.trigger_name = t.trigger_name AND c.trigger_group = t.trigger_group
  LEFT JOIN orchestrator.job_run r ON r.job = j.job_group || '.' || j.job_name
 WHERE j.sched_name = :scheduler AND j.is_durable
 ORDER BY j.job_group, j.job_name, t.next_fire_time NULLS LAST
