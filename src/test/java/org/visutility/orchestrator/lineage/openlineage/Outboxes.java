package org.visutility.orchestrator.lineage.openlineage;

import org.visutility.orchestrator.outbox.DeliveryPolicy;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.support.TestDatabase;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Deliveries for tests, and what orchestrator.openlineage_outbox holds. */
final class Outboxes {
    /** Quick retries for tests: 50 ms doubling to 200 ms, retried for a day. */
    static final DeliveryPolicy QUICK_RETRY = new DeliveryPolicy(DeliveryPolicy.BATCH, Duration.ofMinutes(1),
            Duration.ofMillis(50), Duration.ofMillis(200), DeliveryPolicy.GIVE_UP_AFTER);

    private Outboxes() {
    }

    /** The delivery the config asks for, as node {@code node}, with its destinations registered for the trigger. */
    static OpenLineageDelivery delivery(TestDatabase db, OrchestratorConfig config, String node) {
        OpenLineageDelivery delivery = OpenLineageDelivery.create(config.openLineage(), db.jdbi(), node).orElseThrow();
        delivery.register(true);
        return delivery;
    }

    static OpenLineageDelivery delivery(TestDatabase db, OrchestratorConfig config, String node, DeliveryPolicy policy) {
        OpenLineageDelivery delivery = new OpenLineageDelivery(db.jdbi(), config.openLineage().namespace(),
                OpenLineageDelivery.clients(config.openLineage()), node, policy);
        delivery.register(true);
        return delivery;
    }

    /** The outbox rows of one experiment, in the order they were enqueued. */
    static List<Map<String, Object>> rows(TestDatabase db, long experimentId) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT event_type, destination, attempts, leased_by, last_error,
                       delivered_at IS NOT NULL AS delivered, given_up_at IS NOT NULL AS given_up
                  FROM orchestrator.openlineage_outbox WHERE experiment_id = :id ORDER BY id""")
                .bind("id", experimentId).mapToMap().list());
    }

    /** Outbox rows matching {@code where}, a fixed condition: values go in as the bind {@code :id}. */
    static long count(TestDatabase db, String where) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.openlineage_outbox WHERE " + where)
                .mapTo(Long.class).one());
    }

    static long count(TestDatabase db, String where, long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.openlineage_outbox WHERE " + where)
                .bind("id", id).mapTo(Long.class).one());
    }
}
