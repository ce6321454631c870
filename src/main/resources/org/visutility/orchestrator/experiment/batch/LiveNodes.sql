-- Nodes of the Quartz cluster that checked in within their last two check-in intervals (the owner included).
SELECT count(*) FROM quartz.qrtz_scheduler_state
 WHERE sched_name = :scheduler AND last_checkin_time + 2 * checkin_interval > :nowMs
