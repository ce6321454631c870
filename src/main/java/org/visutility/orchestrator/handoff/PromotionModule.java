package org.visutility.orchestrator.handoff;

import org.quartz.JobKey;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.config.PromotionSettings;
import org.visutility.orchestrator.node.Module;
import org.visutility.orchestrator.node.NodeContext;
import org.visutility.orchestrator.schedule.JobRegistry;
import org.visutility.orchestrator.schedule.RepeatingJob;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The promotion hand-off in a serve node: at start it writes its destinations (none when neither
 * promotion_webhook_url nor promotion_command is set, and then the database enqueues nothing and
 * the delivery job is dropped), schedules the clustered delivery job, and on a clean stop sends what
 * is still due. A command's short-lived node runs only the job ({@code JobsOnly}), never the
 * registration: a command run with other settings must not switch the cluster's hand-off off.
 */
public final class PromotionModule implements Module {
    static final String GROUP = "handoff";
    static final String DELIVER = "promotion-delivery";
    static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final JobKey JOB = JobKey.jobKey(DELIVER, GROUP);
    private static final Logger LOG = LoggerFactory.getLogger(PromotionModule.class);

    private Optional<PromotionDelivery> delivery = Optional.empty();
    private String node;

    @Override
    public void registerJobs(NodeContext context, JobRegistry jobs) {
        try {
            node = context.scheduler().getSchedulerInstanceId();
        } catch (SchedulerException e) {
            throw new IllegalStateException("the scheduler has no instance id: " + e.getMessage(), e);
        }
        delivery = PromotionDelivery.create(context.config().promotion(), context.database().jdbi(), context.config().home(), node);
        Optional<PromotionDelivery> mine = delivery;
        jobs.register(PromotionDeliveryJob.class, () -> new PromotionDeliveryJob(mine));
    }

    @Override
    public void started(NodeContext context) throws SchedulerException {
        if (delivery.isEmpty()) {
            // off: nothing is enqueued from now on, and a schedule stored by an earlier configuration goes
            new PromotionOutbox(context.database().jdbi(), java.util.List.of(), node).register();
            context.scheduler().deleteJob(JOB);
            return;
        }
        delivery.get().register();
        RepeatingJob.schedule(context.scheduler(), JOB, PromotionDeliveryJob.class, INTERVAL, "deliver the promotion hand-off outbox");
    }

    /** The scheduler has stopped: what is due goes out now, for at most two promotion_timeouts; the rest waits in the outbox. */
    @Override
    public void stopped(NodeContext context) {
        delivery.ifPresent(d -> {
            PromotionSettings settings = context.config().promotion();
            try {
                d.deliverUntil(Instant.now().plus(settings.timeout().multipliedBy(2)));
            } catch (RuntimeException e) {
                LOG.warn("Promotion notifications not sent at shutdown stay in the outbox for another node: {}", e.getMessage());
            } finally {
                d.close();
            }
        });
    }
}
