package org.visutility.orchestrator.handoff;

import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.outbox.OutboxRows;
import org.visutility.orchestrator.store.SqlFiles;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * orchestrator.promotion_outbox and its destinations, for one node: a trigger on
 * orchestrator.model_version_event enqueues a notification per registered destination in the
 * transaction of the version event; this claims the due ones for this node's destinations under a
 * lease (committed at once) and records each outcome.
 */
final class PromotionOutbox implements OutboxRows<Notification> {
    private static final String CLAIM = SqlFiles.load(PromotionOutbox.class, "ClaimDueNotifications");
    private static final String DELIVERED = SqlFiles.load(PromotionOutbox.class, "MarkDelivered");
    private static final String FAILED = SqlFiles.load(PromotionOutbox.class, "MarkFailed");
    private static final String RELEASE = SqlFiles.load(PromotionOutbox.class, "ReleaseClaim");
    private static final String PENDING = SqlFiles.load(PromotionOutbox.class, "PendingNotifications");
    private static final String FORGET = SqlFiles.load(PromotionOutbox.class, "ForgetDestinations");
    private static final String ADD = SqlFiles.load(PromotionOutbox.class, "AddDestination");
    private static final String GIVE_UP_REMOVED = SqlFiles.load(PromotionOutbox.class, "GiveUpRemovedDestinations");

    private final Jdbi jdbi;
    private final String[] destinations;
    private final String node;

    PromotionOutbox(Jdbi jdbi, Collection<String> destinations, String node) {
        this.jdbi = jdbi;
        this.destinations = destinations.toArray(String[]::new);
        this.node = node;
    }

    /**
     * Makes this node's destinations the ones notifications are enqueued for (none: nothing is
     * enqueued); pending notifications of any other destination are given up.
     */
    void register() {
        jdbi.useTransaction(h -> {
            h.createUpdate(FORGET).bind("destinations", destinations).execute();
            for (String d : destinations) h.createUpdate(ADD).bind("destination", d).bind("node", node).execute();
            h.createUpdate(GIVE_UP_REMOVED).bind("destinations", destinations).execute();
        });
    }

    @Override
    public List<Notification> claim(int batch, Duration lease) {
        return jdbi.inTransaction(h -> h.createQuery(CLAIM).bind("destinations", destinations).bind("node", node)
                .bind("batch", batch).bind("lease_ms", lease.toMillis())
                .map((rs, ctx) -> new Notification(rs.getLong("id"), rs.getString("delivery_id"), rs.getString("event"),
                        rs.getString("destination"), rs.getInt("attempts"), rs.getString("body"), rs.getString("model"),
                        rs.getString("version"), rs.getString("artifact_uri")))
                .list()).stream().sorted(java.util.Comparator.comparingLong(Notification::id)).toList();
    }

    @Override
    public void delivered(Notification n) {
        jdbi.useHandle(h -> h.createUpdate(DELIVERED).bind("id", n.id()).execute());
    }

    @Override
    public void release(Notification n) {
        jdbi.useHandle(h -> h.createUpdate(RELEASE).bind("id", n.id()).bind("attempts", n.attempt()).execute());
    }

    @Override
    public boolean failed(Notification n, String error, Duration backoff, Duration giveUpAfter) {
        return jdbi.withHandle(h -> h.createQuery(FAILED).bind("id", n.id()).bind("attempts", n.attempt())
                .bind("error", error).bind("backoff_ms", backoff.toMillis()).bind("give_up_after_ms", giveUpAfter.toMillis())
                .mapTo(Boolean.class).findOne().orElse(false));
    }

    @Override
    public long pending() {
        return jdbi.withHandle(h -> h.createQuery(PENDING).mapTo(Long.class).one());
    }
}
