package org.visutility.orchestrator.policy;

import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.config.Durations;

import java.time.Duration;
import java.util.Set;

/**
 * The one cluster-wide trigger of the evaluation job: every ORCHESTRATOR_POLICY_INTERVAL.
 *
 * <p>Misfire policy: {@link SimpleTrigger#MISFIRE_INSTRUCTION_RESCHEDULE_NOW_WITH_EXISTING_REPEAT_COUNT}.
 * When passes were missed (every node down, or all busy for longer than Quartz's misfire
 * threshold), one pass runs as soon as a node can and the interval continues from then; the
 * missed passes are not replayed, because each pass evaluates the present and a burst of
 * catch-up passes would only repeat it.
 */
public final class PolicySchedule {
    private static final Logger LOG = LoggerFactory.getLogger(PolicySchedule.class);
    public static final JobKey JOB = JobKey.jobKey("evaluate-policies", "policy");
    public static final TriggerKey TRIGGER = TriggerKey.triggerKey("evaluate-policies", "policy");
    public static final int MISFIRE_INSTRUCTION = SimpleTrigger.MISFIRE_INSTRUCTION_RESCHEDULE_NOW_WITH_EXISTING_REPEAT_COUNT;

    private PolicySchedule() {
    }

    /** Schedules the job, or reschedules it when the interval changed; the first node to start wins, the others find it in place. */
    public static void ensure(Scheduler scheduler, Duration interval) throws SchedulerException {
        Trigger existing = scheduler.getTrigger(TRIGGER);
        if (existing instanceof SimpleTrigger st && st.getRepeatInterval() == interval.toMillis()
                && st.getMisfireInstruction() == MISFIRE_INSTRUCTION) {
            return;
        }
        JobDetail job = JobBuilder.newJob(PolicyEvaluationJob.class).withIdentity(JOB)
                .withDescription("Evaluate every enabled retrain policy")
                .storeDurably()
                .requestRecovery(false) // a pass cut short by a crash is simply the next pass's work
                .build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(TRIGGER).forJob(JOB)
                .startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(interval.toMillis())
                        .repeatForever()
                        .withMisfireHandlingInstructionNowWithExistingCount())
                .build();
        scheduler.scheduleJob(job, Set.of(trigger), true);
        LOG.info("Policy evaluation scheduled every {} (cluster-wide, one pass at a time)", Durations.format(interval));
    }
}
