package org.visutility.orchestrator.handoff;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.outbox.Pass;

import java.util.Optional;

/**
 * The clustered delivery of the promotion outbox: every {@link PromotionModule#INTERVAL}, on one
 * node at a time, sends the due notifications. A node with no destination configured fails the run
 * visibly when Quartz hands it the job (the nodes of a cluster are meant to share their settings).
 */
@DisallowConcurrentExecution
public final class PromotionDeliveryJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(PromotionDeliveryJob.class);

    private final Optional<PromotionDelivery> delivery;

    PromotionDeliveryJob(Optional<PromotionDelivery> delivery) {
        this.delivery = delivery;
    }

    /** A pass that could not look at the outbox fails the job (orchestrator.job_run, /health); a notification that failed to send does not. */
    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        if (delivery.isEmpty()) {
            throw new JobExecutionException("the promotion hand-off has no destination on this node; nothing was sent", false);
        }
        try {
            Pass pass = delivery.get().deliverDue();
            if (pass.delivered() + pass.failed() > 0) {
                LOG.debug("Promotion delivery: {} delivered, {} failed, {} given up", pass.delivered(), pass.failed(), pass.givenUp());
            }
        } catch (RuntimeException e) {
            // the database is away: the notifications stay in the outbox for the next pass
            LOG.warn("Promotion delivery pass failed (the next one runs in {}): {}", PromotionModule.INTERVAL, e.toString());
            throw new JobExecutionException("promotion delivery pass failed: " + e.getMessage(), false);
        }
    }
}
