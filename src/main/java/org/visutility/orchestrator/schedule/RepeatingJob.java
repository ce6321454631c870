package org.visutility.orchestrator.schedule;

import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

import java.time.Duration;
import java.util.Set;

/**
 * A cluster-wide job that repeats at a fixed interval. Every serve node schedules it at start,
 * replacing the stored job and trigger (so a changed interval takes effect), and the clustered
 * job store runs it on one node at a time. Missed fires are skipped, not caught up: the next run
 * does the work the missed ones would have done.
 */
public final class RepeatingJob {
    private RepeatingJob() {
    }

    /** Schedules (or replaces) the job {@code key} of {@code type}, its trigger named like the job, firing now and every {@code interval}. */
    public static void schedule(Scheduler scheduler, JobKey key, Class<? extends Job> type, Duration interval, String description)
            throws SchedulerException {
        JobDetail job = JobBuilder.newJob(type).withIdentity(key).storeDurably().withDescription(description).build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(key.getName(), key.getGroup()).forJob(key).startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(interval.toMillis()).repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
        scheduler.scheduleJob(job, Set.of(trigger), true);
    }
}
