package org.visutility.orchestrator.collect;

import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.config.SqlCollectorSetting;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;

/** Puts the configured SQL collectors on their cron schedules (UTC) and takes removed ones off. */
final class SqlCollectorSchedule {
    private static final Logger LOG = LoggerFactory.getLogger(SqlCollectorSchedule.class);
    private static final TimeZone CRON_ZONE = TimeZone.getTimeZone("UTC");

    private SqlCollectorSchedule() {
    }

    static void apply(Scheduler scheduler, List<SqlCollectorSetting> collectors) throws SchedulerException {
        Set<JobKey> wanted = new HashSet<>();
        for (SqlCollectorSetting c : collectors) {
            JobDetail job = JobBuilder.newJob(SqlCollectorJob.class)
                    .withIdentity(c.name(), SqlCollectorJob.GROUP)
                    .withDescription("SQL collector " + c.name())
                    .usingJobData(SqlCollectorJob.COLLECTOR, c.name())
                    .storeDurably()
                    .build();
            // a missed run is not made up: the next run pulls everything since the watermark anyway
            Trigger trigger = TriggerBuilder.newTrigger()
                    .withIdentity(c.name(), SqlCollectorJob.GROUP)
                    .forJob(job)
                    .withSchedule(CronScheduleBuilder.cronSchedule(c.cron()).inTimeZone(CRON_ZONE)
                            .withMisfireHandlingInstructionDoNothing())
                    .build();
            scheduler.scheduleJob(job, Set.of(trigger), true);
            wanted.add(job.getKey());
            LOG.info("SQL collector {} scheduled on cron '{}' (UTC)", c.name(), c.cron());
        }
        for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(SqlCollectorJob.GROUP))) {
            if (!wanted.contains(key)) {
                scheduler.deleteJob(key);
                LOG.info("SQL collector {} is no longer configured; its schedule was removed", key.getName());
            }
        }
    }
}
