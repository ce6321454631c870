package org.visutility.orchestrator.lineage.openlineage;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.outbox.Pass;

import java.util.Optional;

/**
 * The clustered delivery of the OpenLineage outbox: every {@link OpenLineageModule#INTERVAL}, on one
 * node at a time, sends the due events. A node with the export off does nothing when Quartz hands
 * it the job (the nodes of a cluster are meant to share their settings).
 */
@DisallowConcurrentExecution
public final class OpenLineageDeliveryJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(OpenLineageDeliveryJob.class);

    private final Optional<OpenLineageDelivery> delivery;

    OpenLineageDeliveryJob(Optional<OpenLineageDelivery> delivery) {
        this.delivery = delivery;
    }

    /** A pass that could not look at the outbox fails the job (orchestrator.job_run, /health); an event that failed to send does not. */
    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        if (delivery.isEmpty()) {
            LOG.debug("OpenLineage delivery fired on a node whose export is off; nothing sent");
            throw new JobExecutionException("the OpenLineage export is off on this node; nothing was sent", false);
        }
        try {
            Pass pass = delivery.get().deliverDue();
            if (pass.delivered() + pass.failed() > 0) {
                LOG.debug("OpenLineage delivery: {} delivered, {} failed, {} given up", pass.delivered(), pass.failed(), pass.givenUp());
            }
        } catch (RuntimeException e) {
            // the database is away: the events stay in the outbox for the next pass
            LOG.warn("OpenLineage delivery pass failed (the next one runs in {}): {}", OpenLineageModule.INTERVAL, e.toString());
            throw new JobExecutionException("OpenLineage delivery pass failed: " + e.getMessage(), false);
        }
    }
}
