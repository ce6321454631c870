package org.visutility.orchestrator.lineage.openlineage;

import org.visutility.orchestrator.node.Module;
import org.visutility.orchestrator.node.NodeContext;
import org.quartz.JobKey;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.config.OpenLineageSettings;
import org.visutility.orchestrator.schedule.JobRegistry;
import org.visutility.orchestrator.schedule.RepeatingJob;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The OpenLineage export in a node (part of the experiment capability, so the local node of
 * {@code experiments submit --wait} exports too): at start it writes its destinations (none when the
 * export is off) for the database's trigger, schedules the clustered delivery job, and on a clean
 * stop sends what is still due. A service node's settings are the cluster's: they replace the
 * stored destinations, and with the export off they empty them and drop the delivery job. The
 * short-lived node a command starts ({@link #guest()}) only adds its destinations: a command run
 * with other settings must not switch the cluster's export off.
 */
public final class OpenLineageModule implements Module {
    static final String GROUP = "lineage";
    static final String DELIVER = "openlineage-delivery";
    static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final JobKey JOB = JobKey.jobKey(DELIVER, GROUP);
    private static final Logger LOG = LoggerFactory.getLogger(OpenLineageModule.class);

    private final boolean setsTheClustersExport;
    private Optional<OpenLineageDelivery> delivery = Optional.empty();
    private String node;

    private OpenLineageModule(boolean setsTheClustersExport) {
        this.setsTheClustersExport = setsTheClustersExport;
    }

    /** The export of a service node: its settings are the cluster's. */
    public static OpenLineageModule service() {
        return new OpenLineageModule(true);
    }

    /** The export of a command's short-lived node: it adds its destinations and never removes any. */
    public static OpenLineageModule guest() {
        return new OpenLineageModule(false);
    }

    @Override
    public void registerJobs(NodeContext context, JobRegistry jobs) {
        try {
            node = context.scheduler().getSchedulerInstanceId();
        } catch (SchedulerException e) {
            throw new IllegalStateException("the scheduler has no instance id: " + e.getMessage(), e);
        }
        delivery = OpenLineageDelivery.create(context.config().openLineage(), context.database().jdbi(), node);
        Optional<OpenLineageDelivery> mine = delivery;
        jobs.register(OpenLineageDeliveryJob.class, () -> new OpenLineageDeliveryJob(mine));
    }

    @Override
    public void started(NodeContext context) throws SchedulerException {
        if (delivery.isEmpty()) {
            if (!setsTheClustersExport) return;
            // off: nothing is enqueued from now on, and a schedule stored by an earlier configuration goes
            new OpenLineageOutbox(context.database().jdbi()).register(List.of(), node);
            context.scheduler().deleteJob(JOB);
            return;
        }
        delivery.get().register(setsTheClustersExport);
        RepeatingJob.schedule(context.scheduler(), JOB, OpenLineageDeliveryJob.class, INTERVAL, "deliver the OpenLineage outbox");
    }

    /** The scheduler has stopped: what is due goes out now, for at most two openlineage_timeouts; the rest waits in the outbox. */
    @Override
    public void stopped(NodeContext context) {
        delivery.ifPresent(d -> {
            OpenLineageSettings settings = context.config().openLineage();
            try {
                d.deliverUntil(Instant.now().plus(settings.timeout().multipliedBy(2)));
            } catch (RuntimeException e) {
                LOG.warn("OpenLineage events not sent at shutdown stay in the outbox for another node: {}", e.getMessage());
            } finally {
                d.close();
            }
        });
    }
}
