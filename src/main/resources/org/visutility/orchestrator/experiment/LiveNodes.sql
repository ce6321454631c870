-- Nodes of the Quartz cluster that checked in recently (as Quartz itself judges a node alive).
SELECT count(*) FROM quartz.qrtz_scheduler_state
 WHERE sched_name = :scheduler AND last_checkin_time + 2 * checkin_interval + 7500 > :nowMs
