package org.visutility.orchestrator.experiment;

import org.jdbi.v3.core.Jdbi;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.store.SqlFiles;

import java.time.Duration;
import java.util.List;

/**
 * Launches queued experiments, whoever queued them (a policy, a submit): takes as many as there
 * are free slots (max_running_experiments over the whole cluster, counted under a row lock of
 * orchestrator.cluster_lock, waited for at most {@link #LOCK_WAIT}),
 * marks them dispatched, and schedules one one-shot Quartz job per experiment that requests
 * recovery, so that exactly one node runs it and another node re-runs it if that node dies.
 */
public final class ExperimentDispatcher {
    public static final String GROUP = "experiments";
    public static final String EXPERIMENT_ID = "experiment_id";
    /** A dispatched experiment still queued after this long had its job lost (or waits for a thread); check it. */
    static final Duration STUCK_AFTER = Duration.ofSeconds(30);
    /**
     * The longest a round waits for a lock: a round takes milliseconds under it, so a longer wait
     * means something else holds it; the round then fails (logged, orchestrator.job_run, /health)
     * instead of holding a Quartz thread, and the node's shutdown, for as long as that lasts.
     */
    static final Duration LOCK_WAIT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentDispatcher.class);
    private static final String BOUND_LOCK_WAITS = SqlFiles.load(ExperimentDispatcher.class, "BoundLockWaits");
    private static final String LOCK = SqlFiles.load(ExperimentDispatcher.class, "LockDispatch");
    private static final String COUNT_ACTIVE = SqlFiles.load(ExperimentDispatcher.class, "CountActive");
    private static final String CLAIM_WAITING = SqlFiles.load(ExperimentDispatcher.class, "ClaimWaiting");
    private static final String DISPATCHED_LONG_AGO = SqlFiles.load(ExperimentDispatcher.class, "DispatchedLongAgo");

    private final Jdbi jdbi;
    private final Scheduler scheduler;
    private final int maxRunning;

    public ExperimentDispatcher(Jdbi jdbi, Scheduler scheduler, int maxRunning) {
        this.jdbi = jdbi;
        this.scheduler = scheduler;
        this.maxRunning = maxRunning;
    }

    /** One round; returns the experiments handed to Quartz. */
    public List<Long> dispatch() throws SchedulerException {
        List<Long> claimed = claimWaiting(jdbi, maxRunning);
        for (long id : claimed) schedule(id);
        for (long id : jdbi.withHandle(h -> h.createQuery(DISPATCHED_LONG_AGO).bind("afterMs", STUCK_AFTER.toMillis())
                .mapTo(Long.class).list())) {
            if (!scheduler.checkExists(jobKey(id))) {
                LOG.warn("Experiment {} was dispatched but has no job; scheduling it again", id);
                schedule(id);
            }
        }
        if (!claimed.isEmpty()) LOG.info("Dispatched experiments {}", claimed);
        return claimed;
    }

    /** Marks the oldest waiting experiments dispatched, as many as the free slots allow. */
    static List<Long> claimWaiting(Jdbi jdbi, int maxRunning) {
        return jdbi.inTransaction(h -> {
            h.createQuery(BOUND_LOCK_WAITS).bind("timeout", LOCK_WAIT.toMillis() + "ms").mapTo(String.class).one();
            h.createQuery(LOCK).mapTo(String.class).findOne().orElseThrow(() -> new IllegalStateException(
                    "the lock row 'experiment_dispatch' of orchestrator.cluster_lock is missing (migration V106 inserts it)"));
            long active = h.createQuery(COUNT_ACTIVE).mapTo(Long.class).one();
            long slots = maxRunning - active;
            if (slots <= 0) return List.of();
            return h.createQuery(CLAIM_WAITING).bind("slots", slots).mapTo(Long.class).list();
        });
    }

    /** Schedules the experiment's one-shot job now; a job already scheduled for it is left alone. */
    public void schedule(long experimentId) throws SchedulerException {
        JobDetail job = JobBuilder.newJob(ExperimentRunJob.class).withIdentity(jobKey(experimentId))
                .usingJobData(EXPERIMENT_ID, Long.toString(experimentId))
                .requestRecovery(true).storeDurably(false)
                .withDescription("run experiment " + experimentId).build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity("experiment-" + experimentId, GROUP).startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow()).build();
        try {
            scheduler.scheduleJob(job, trigger);
        } catch (ObjectAlreadyExistsException e) {
            LOG.debug("Experiment {} already has its job", experimentId);
        }
    }

    public static JobKey jobKey(long experimentId) {
        return JobKey.jobKey("experiment-" + experimentId, GROUP);
    }
}
