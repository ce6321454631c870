package org.visutility.orchestrator.lineage.openlineage;

import io.openlineage.client.OpenLineage.RunEvent.EventType;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.outbox.OutboxRows;
import org.visutility.orchestrator.store.SqlFiles;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * orchestrator.openlineage_outbox and its destinations: a trigger on orchestrator.experiment
 * enqueues the events in the transaction of the state change; this claims the due ones under a
 * lease (committed at once, so nothing is held open while sending) and records each outcome.
 */
final class OpenLineageOutbox {
    private static final String CLAIM = SqlFiles.load(OpenLineageOutbox.class, "ClaimDueEvents");
    private static final String DELIVERED = SqlFiles.load(OpenLineageOutbox.class, "MarkDelivered");
    private static final String FAILED = SqlFiles.load(OpenLineageOutbox.class, "MarkFailed");
    private static final String RELEASE = SqlFiles.load(OpenLineageOutbox.class, "ReleaseClaim");
    private static final String PENDING = SqlFiles.load(OpenLineageOutbox.class, "PendingEvents");
    private static final String FORGET = SqlFiles.load(OpenLineageOutbox.class, "ForgetDestinations");
    private static final String ADD = SqlFiles.load(OpenLineageOutbox.class, "AddDestination");
    private static final String GIVE_UP_REMOVED = SqlFiles.load(OpenLineageOutbox.class, "GiveUpRemovedDestinations");

    private final Jdbi jdbi;

    OpenLineageOutbox(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Makes {@code destinations} the ones events are enqueued for (empty: the export is off and the
     * trigger enqueues nothing); pending events of any other destination are given up.
     */
    void register(Collection<String> destinations, String node) {
        String[] names = destinations.toArray(String[]::new);
        jdbi.useTransaction(h -> {
            h.createUpdate(FORGET).bind("destinations", names).execute();
            for (String d : names) h.createUpdate(ADD).bind("destination", d).bind("node", node).execute();
            h.createUpdate(GIVE_UP_REMOVED).bind("destinations", names).execute();
        });
    }

    /** Adds {@code destinations} to the ones events are enqueued for, leaving the others as they are. */
    void add(Collection<String> destinations, String node) {
        jdbi.useTransaction(h -> {
            for (String d : destinations) h.createUpdate(ADD).bind("destination", d).bind("node", node).execute();
        });
    }

    /** Up to {@code batch} due events for these destinations, leased to {@code node} for {@code lease}, oldest first. */
    List<OutboxEvent> claim(Collection<String> destinations, String node, int batch, Duration lease) {
        List<OutboxEvent> claimed = jdbi.inTransaction(h -> h.createQuery(CLAIM)
                .bind("destinations", destinations.toArray(String[]::new)).bind("node", node)
                .bind("batch", batch).bind("lease_ms", lease.toMillis())
                .map((rs, ctx) -> new OutboxEvent(rs.getLong("id"), rs.getLong("experiment_id"),
                        EventType.valueOf(rs.getString("event_type")), rs.getString("destination"), rs.getInt("attempts")))
                .list());
        return claimed.stream().sorted(Comparator.comparingLong(OutboxEvent::id)).toList();
    }

    void delivered(OutboxEvent event) {
        jdbi.useHandle(h -> h.createUpdate(DELIVERED).bind("id", event.id()).execute());
    }

    /** Gives a claimed event back unsent, due at once for any node. */
    void release(OutboxEvent event) {
        jdbi.useHandle(h -> h.createUpdate(RELEASE).bind("id", event.id()).bind("attempts", event.attempt()).execute());
    }

    /** Records a failed attempt; true when the event is now given up (older than {@code giveUpAfter}). */
    boolean failed(OutboxEvent event, String error, Duration backoff, Duration giveUpAfter) {
        return jdbi.withHandle(h -> h.createQuery(FAILED).bind("id", event.id()).bind("attempts", event.attempt())
                .bind("error", error).bind("backoff_ms", backoff.toMillis()).bind("give_up_after_ms", giveUpAfter.toMillis())
                .mapTo(Boolean.class).findOne().orElse(false));
    }

    long pending() {
        return jdbi.withHandle(OpenLineageOutbox::pending);
    }

    /** The rows this node can send (its destinations, claimed as {@code node}), as the shared delivery works them off. */
    OutboxRows<OutboxEvent> forNode(Collection<String> destinations, String node) {
        List<String> mine = List.copyOf(destinations);
        return new OutboxRows<>() {
            @Override
            public List<OutboxEvent> claim(int batch, Duration lease) {
                return OpenLineageOutbox.this.claim(mine, node, batch, lease);
            }

            @Override
            public void delivered(OutboxEvent row) {
                OpenLineageOutbox.this.delivered(row);
            }

            @Override
            public void release(OutboxEvent row) {
                OpenLineageOutbox.this.release(row);
            }

            @Override
            public boolean failed(OutboxEvent row, String error, Duration backoff, Duration giveUpAfter) {
                return OpenLineageOutbox.this.failed(row, error, backoff, giveUpAfter);
            }

            @Override
            public long pending() {
                return OpenLineageOutbox.this.pending();
            }
        };
    }

    static long pending(Handle h) {
        return h.createQuery(PENDING).mapTo(Long.class).one();
    }
}
