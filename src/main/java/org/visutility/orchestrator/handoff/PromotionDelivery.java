package org.visutility.orchestrator.handoff;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.config.PromotionSettings;
import org.visutility.orchestrator.outbox.DeliveryPolicy;
import org.visutility.orchestrator.outbox.NotDelivered;
import org.visutility.orchestrator.outbox.OutboxDelivery;
import org.visutility.orchestrator.outbox.OutboxMetrics;
import org.visutility.orchestrator.outbox.Pass;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Delivers the promotion outbox to this node's destinations, at least once, through the shared
 * delivery ({@link OutboxDelivery}: lease, exponential backoff, given up after
 * {@link DeliveryPolicy#GIVE_UP_AFTER}): the webhook ({@link WebhookSender}) and the command hook
 * ({@link CommandSender}). In GET /metrics: {@code orchestrator_promotion_deliveries_total{destination,outcome}}
 * and {@code orchestrator_promotion_deliveries_pending}.
 */
public final class PromotionDelivery implements AutoCloseable {
    static final String WEBHOOK = "webhook";
    static final String COMMAND = "command";
    static final String DELIVERIES = "orchestrator.promotion.deliveries";
    static final String PENDING = "orchestrator.promotion.deliveries.pending";
    private static final Logger LOG = LoggerFactory.getLogger(PromotionDelivery.class);

    private final PromotionOutbox outbox;
    private final Optional<WebhookSender> webhook;
    private final Optional<CommandSender> command;
    private final OutboxMetrics metrics;
    private final OutboxDelivery<Notification> delivery;

    PromotionDelivery(Jdbi jdbi, PromotionSettings settings, Path workdir, String node, DeliveryPolicy policy,
                      Map<String, String> nodeEnvironment) {
        this.webhook = settings.webhookUrl().map(url -> new WebhookSender(url, settings.webhookSecret(), settings.timeout()));
        this.command = settings.command().isEmpty() ? Optional.empty()
                : Optional.of(new CommandSender(settings.command(), workdir, settings.timeout(), nodeEnvironment));
        List<String> destinations = new ArrayList<>(2);
        webhook.ifPresent(w -> destinations.add(WEBHOOK));
        command.ifPresent(c -> destinations.add(COMMAND));
        this.outbox = new PromotionOutbox(jdbi, destinations, node);
        this.metrics = new OutboxMetrics(DELIVERIES,
                "promotion hand-off delivery attempts on this node, by destination and outcome (a given-up notification also counts as failed)",
                PENDING, "promotion hand-off notifications waiting in the outbox (not delivered, not given up)",
                "destination", destinations, outbox::pending);
        this.delivery = new OutboxDelivery<>(outbox, this::send, policy, metrics);
    }

    /** The delivery the settings ask for, or empty when neither promotion_webhook_url nor promotion_command is set. */
    public static Optional<PromotionDelivery> create(PromotionSettings settings, Jdbi jdbi, Path workdir, String node) {
        if (!settings.enabled()) return Optional.empty();
        return Optional.of(new PromotionDelivery(jdbi, settings, workdir, node, DeliveryPolicy.forTimeout(settings.timeout()),
                System.getenv()));
    }

    /** Makes this node's destinations the ones the database enqueues notifications for (the others' pending rows are given up). */
    void register() {
        outbox.register();
        List<String> kinds = new ArrayList<>(2);
        webhook.ifPresent(w -> kinds.add(WEBHOOK));
        command.ifPresent(c -> kinds.add(COMMAND));
        LOG.info("Promotion hand-off to the {} (delivered from orchestrator.promotion_outbox)", String.join(" and the ", kinds));
    }

    /** Sends what is due until nothing is, a claim's rows all failed, or {@link OutboxDelivery#PASS_BUDGET} is spent. */
    public Pass deliverDue() {
        return delivery.deliverDue();
    }

    public Pass deliverUntil(Instant deadline) {
        return delivery.deliverUntil(deadline);
    }

    private void send(Notification n) throws NotDelivered, InterruptedException {
        switch (n.destination()) {
            case WEBHOOK -> webhook.orElseThrow(() -> new NotDelivered("the webhook is not configured on this node")).send(n);
            case COMMAND -> command.orElseThrow(() -> new NotDelivered("promotion_command is not configured on this node")).send(n);
            default -> throw new NotDelivered("unknown destination " + n.destination());
        }
    }

    /** Removes the pending gauge. */
    @Override
    public void close() {
        metrics.close();
    }
}
