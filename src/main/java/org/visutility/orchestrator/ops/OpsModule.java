package org.visutility.orchestrator.ops;

import org.visutility.orchestrator.node.HealthSection;
import io.javalin.Javalin;
import org.visutility.orchestrator.node.ApiAccess;
import org.visutility.orchestrator.node.Module;
import org.visutility.orchestrator.node.NodeContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.experiment.ExperimentDispatcher;
import org.visutility.orchestrator.experiment.StuckRuns;
import org.visutility.orchestrator.schedule.JobRegistry;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;
import org.visutility.orchestrator.schedule.RepeatingJob;

import java.util.List;

/** Operations in a serving node: the clustered rescuer job and the experiment gauges of GET /metrics. */
public final class OpsModule implements Module {
    static final String GROUP = "ops";
    static final String RESCUE = "rescue-stale-runs";
    private static final Logger LOG = LoggerFactory.getLogger(OpsModule.class);

    private ExperimentGauges gauges;
    /** Shared by the health section and the gauges, so that /health and /metrics agree. */
    private StuckRunCounts stuckRuns;

    private synchronized StuckRunCounts stuckRuns(NodeContext context) {
        if (stuckRuns == null) stuckRuns = new StuckRunCounts(context.database().jdbi(), StuckRuns.staleAfter(context.config()));
        return stuckRuns;
    }

    @Override
    public void registerJobs(NodeContext context, JobRegistry jobs) {
        String node;
        try {
            node = context.scheduler().getSchedulerInstanceId();
        } catch (SchedulerException e) {
            throw new IllegalStateException("the scheduler has no instance id: " + e.getMessage(), e);
        }
        StaleRunRescuer rescuer = new StaleRunRescuer(context.database().jdbi(),
                BatchInfrastructure.create(context.database().dataSource()), StuckRuns.staleAfter(context.config()), node,
                id -> dropDeadJob(context.scheduler(), id));
        jobs.register(RescueJob.class, () -> new RescueJob(rescuer, context.config()));
    }

    @Override
    public void routes(NodeContext context, Javalin app) {
        new OpsControlRoutes(context.database().jdbi(), BatchInfrastructure.create(context.database().dataSource()),
                context.config(), new ApiAccess(context.config().apiTokens())).routes(app);
    }

    @Override
    public List<HealthSection> healthSections(NodeContext context) {
        return List.of(new StuckRunsHealth(stuckRuns(context)));
    }

    @Override
    public void started(NodeContext context) throws SchedulerException {
        RepeatingJob.schedule(context.scheduler(), JobKey.jobKey(RESCUE, GROUP), RescueJob.class, context.config().rescueInterval(),
                "rescue runs whose node is gone");
        gauges = new ExperimentGauges(context.database().jdbi(), stuckRuns(context));
    }

    /**
     * The dead node's one-shot job of an experiment about to be requeued would keep the dispatcher
     * from scheduling it again (same job key) until Quartz's own recovery fires it; without it the
     * next dispatch round launches the run at once. Called while the rescuer still holds the run, so
     * the job dropped is never one a dispatch round scheduled for the requeued run. A recovery job
     * already running elsewhere finds the run queued and claims it, or finds it claimed and leaves
     * it: claims are fenced.
     */
    private static void dropDeadJob(Scheduler scheduler, long experimentId) {
        try {
            if (scheduler.deleteJob(ExperimentDispatcher.jobKey(experimentId))) {
                LOG.info("Dropped the Quartz job the gone node held for experiment {}; the dispatcher launches it anew", experimentId);
            }
        } catch (SchedulerException e) {
            LOG.warn("Could not drop the Quartz job of experiment {} (Quartz's recovery will fire it): {}", experimentId, e.getMessage());
        }
    }

    @Override
    public void stopping(NodeContext context) {
        if (gauges != null) gauges.close();
    }
}
