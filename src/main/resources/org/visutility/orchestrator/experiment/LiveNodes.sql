-- Nodes of the Quartz cluster that checked in within their last two check-in intervals. A node that
-- stopped or died leaves its row behind, so only recent check-ins count.
SELECT count(*) FROM quartz.qrtz_scheduler_state
 WHERE sched_name = :scheduler AND last_checkin_time + 2 * checkin_interval > :nowMs
