package org.visutility.orchestrator.experiment;

import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.app.Node;
import org.visutility.orchestrator.lineage.openlineage.OpenLineageExport;
import org.visutility.orchestrator.schedule.JobRegistry;
import org.visutility.orchestrator.tuning.batch.BatchInfrastructure;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The experiment capability of a node: Spring Batch on the node's pool, the runner, the recurring
 * dispatcher and the one-shot run jobs. On close, running experiments are handed back to the queue
 * (their trainers stopped, their checkpoints kept) instead of being waited for.
 */
public final class ExperimentModule implements Node.Module {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentModule.class);
    private static final String DISPATCH = "experiment-dispatch";

    private ExperimentRunner runner;
    private ExperimentDispatcher dispatcher;
    private Optional<OpenLineageExport> openLineage = Optional.empty();

    @Override
    public void registerJobs(Node.NodeContext context, JobRegistry jobs) {
        String owner;
        try {
            owner = context.scheduler().getSchedulerInstanceId();
        } catch (SchedulerException e) {
            throw new IllegalStateException("the scheduler has no instance id: " + e.getMessage(), e);
        }
        BatchInfrastructure batch = BatchInfrastructure.create(context.database().dataSource());
        openLineage = OpenLineageExport.start(context.config().openLineage(), context.database().jdbi());
        ExperimentObserver observer = new CompositeObserver(openLineage.<ExperimentObserver>map(e -> e)
                .map(export -> List.<ExperimentObserver>of(new ExperimentMetrics(), export))
                .orElse(List.of(new ExperimentMetrics())));
        runner = new ExperimentRunner(context.database().jdbi(), batch, context.config(), owner, observer);
        dispatcher = new ExperimentDispatcher(context.database().jdbi(), context.scheduler(),
                context.config().maxRunningExperiments());
        jobs.register(ExperimentRunJob.class, () -> new ExperimentRunJob(runner));
        jobs.register(ExperimentDispatchJob.class, () -> new ExperimentDispatchJob(dispatcher));
    }

    @Override
    public void started(Node.NodeContext context) throws SchedulerException {
        JobDetail job = JobBuilder.newJob(ExperimentDispatchJob.class).withIdentity(DISPATCH, ExperimentDispatcher.GROUP)
                .storeDurably().withDescription("launch queued experiments").build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(DISPATCH, ExperimentDispatcher.GROUP).startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(context.config().dispatchInterval().toMillis()).repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
        // every node schedules it (replacing the stored one); Quartz runs it on one node at a time
        context.scheduler().scheduleJob(job, Set.of(trigger), true);
    }

    @Override
    public void stopping(Node.NodeContext context) {
        if (runner != null && runner.activeRuns() > 0) {
            LOG.info("Handing {} running experiments back to the queue", runner.activeRuns());
            runner.stopAll();
        }
    }

    /** Runs have ended: what the OpenLineage export still holds goes out while the database is open. */
    @Override
    public void stopped(Node.NodeContext context) {
        openLineage.ifPresent(OpenLineageExport::close);
    }

    /** This node's dispatcher (experiments submit uses it to launch at once). */
    public ExperimentDispatcher dispatcher() {
        return dispatcher;
    }
}
