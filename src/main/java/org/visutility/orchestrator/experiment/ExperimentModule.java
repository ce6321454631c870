package org.visutility.orchestrator.experiment;

import io.javalin.Javalin;
import org.visutility.orchestrator.node.ApiAccess;
import org.visutility.orchestrator.node.Module;
import org.visutility.orchestrator.node.NodeContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.lineage.openlineage.OpenLineageModule;
import org.visutility.orchestrator.schedule.JobRegistry;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;
import org.visutility.orchestrator.experiment.batch.TrialChannels;
import org.visutility.orchestrator.experiment.batch.TrialWorker;

import java.util.Optional;
import org.visutility.orchestrator.schedule.RepeatingJob;

/**
 * The experiment capability of a node: Spring Batch on the node's pool, the runner, the recurring
 * dispatcher and the one-shot run jobs. On close, running experiments are handed back to the queue
 * (their trainers stopped, their checkpoints kept) instead of being waited for. The OpenLineage
 * export of the experiments' runs is part of it, so every node that runs experiments delivers their events.
 */
public final class ExperimentModule implements Module {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentModule.class);
    private static final String DISPATCH = "experiment-dispatch";

    private ExperimentRunner runner;
    /** This node's ends of the trial channels and its trial worker (null with trials_per_node 0). */
    private TrialChannels channels;
    private TrialWorker worker;
    private ExperimentDispatcher dispatcher;
    private TrialFolderSweeping sweeping;
    private final OpenLineageModule openLineage;
    private final boolean setsTheSchedule;

    /** The experiment capability of a service node. */
    public ExperimentModule() {
        this(OpenLineageModule.service(), true);
    }

    private ExperimentModule(OpenLineageModule openLineage, boolean setsTheSchedule) {
        this.openLineage = openLineage;
        this.setsTheSchedule = setsTheSchedule;
    }

    /**
     * For the node a command starts to run work itself: it leaves the cluster's OpenLineage export and
     * the dispatcher's interval as the service nodes set them (it schedules the dispatcher only where
     * none is, e.g. on a database no serve node has run on).
     */
    public static ExperimentModule forCommand() {
        return new ExperimentModule(OpenLineageModule.guest(), false);
    }

    @Override
    public void registerJobs(NodeContext context, JobRegistry jobs) {
        String owner;
        try {
            owner = context.scheduler().getSchedulerInstanceId();
        } catch (SchedulerException e) {
            throw new IllegalStateException("the scheduler has no instance id: " + e.getMessage(), e);
        }
        BatchInfrastructure batch = BatchInfrastructure.create(context.database().dataSource());
        // only serve nodes join the cluster's trial workers: a command's short-lived node would take
        // trials and leave with them, and its runs (if any) keep their trials at home
        if (setsTheSchedule) channels = TrialChannels.open(context.database());
        runner = new ExperimentRunner(context.database().jdbi(), batch, context.config(), owner, new ExperimentMetrics(),
                Optional.ofNullable(channels));
        if (setsTheSchedule) {
            worker = TrialWorker.start(context.database().jdbi(), channels, owner, context.config().trialsPerNode(), context.config().home());
        }
        dispatcher = new ExperimentDispatcher(context.database().jdbi(), context.scheduler(),
                context.config().maxRunningExperiments());
        jobs.register(ExperimentRunJob.class, () -> new ExperimentRunJob(runner));
        jobs.register(ExperimentDispatchJob.class, () -> new ExperimentDispatchJob(dispatcher));
        openLineage.registerJobs(context, jobs);
    }

    @Override
    public void routes(NodeContext context, Javalin app) {
        new ExperimentControlRoutes(context.database().jdbi(), new ApiAccess(context.config().apiTokens())).routes(app);
        new TrialExclusionRoutes(context.database().jdbi(), new ApiAccess(context.config().apiTokens())).routes(app);
    }

    @Override
    public void started(NodeContext context) throws SchedulerException {
        if (setsTheSchedule || !dispatchArmed(context.scheduler())) scheduleDispatch(context);
        if (setsTheSchedule) {
            // a serve node sweeps the trial folders on its own disk; a command's short-lived node does not
            sweeping = TrialFolderSweeping.start(new TrialFolderSweeper(context.config().home(), context.config().trialFolderRetention(),
                    runner::runs, java.time.Clock.systemUTC()));
        }
        openLineage.started(context);
    }

    /** Whether the cluster's dispatcher trigger exists and will fire (not paused, not in ERROR). */
    private static boolean dispatchArmed(Scheduler scheduler) throws SchedulerException {
        Trigger.TriggerState state = scheduler.getTriggerState(TriggerKey.triggerKey(DISPATCH, ExperimentDispatcher.GROUP));
        return state == Trigger.TriggerState.NORMAL || state == Trigger.TriggerState.BLOCKED;
    }

    private static void scheduleDispatch(NodeContext context) throws SchedulerException {
        RepeatingJob.schedule(context.scheduler(), JobKey.jobKey(DISPATCH, ExperimentDispatcher.GROUP), ExperimentDispatchJob.class,
                context.config().dispatchInterval(), "launch queued experiments");
    }

    @Override
    public void stopping(NodeContext context) {
        if (sweeping != null) sweeping.stop();
        if (runner != null && runner.activeRuns() > 0) {
            LOG.info("Handing {} running experiments back to the queue", runner.activeRuns());
            runner.stopAll();
        }
        // the trials this node runs for experiments' owners stop and go back to them, to run elsewhere
        if (worker != null) worker.close();
    }

    /** Runs have ended: the OpenLineage events still due go out while the database is open. */
    @Override
    public void stopped(NodeContext context) {
        if (channels != null) channels.close();
        openLineage.stopped(context);
    }

    /** This node's dispatcher (experiments submit uses it to launch at once). */
    public ExperimentDispatcher dispatcher() {
        return dispatcher;
    }
}
