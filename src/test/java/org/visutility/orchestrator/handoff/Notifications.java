package org.visutility.orchestrator.handoff;

import com.fasterxml.jackson.databind.JsonNode;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.outbox.DeliveryPolicy;
import org.visutility.orchestrator.support.TestDatabase;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Deliveries for tests, and what orchestrator.promotion_outbox holds. */
final class Notifications {
    /** Quick retries for tests: 50 ms doubling to 200 ms, retried for a day. */
    static final DeliveryPolicy QUICK_RETRY = new DeliveryPolicy(DeliveryPolicy.BATCH, Duration.ofMinutes(1),
            Duration.ofMillis(50), Duration.ofMillis(200), DeliveryPolicy.GIVE_UP_AFTER);

    private Notifications() {
    }

    /** The delivery the config asks for, as node {@code node}, with its destinations registered for the trigger. */
    static PromotionDelivery delivery(OrchestratorConfig config, TestDatabase db, String node, Map<String, String> nodeEnvironment) {
        PromotionDelivery delivery = new PromotionDelivery(db.jdbi(), config.promotion(), config.home(), node, QUICK_RETRY, nodeEnvironment);
        delivery.register();
        return delivery;
    }

    /** No notification and no destination: as on a database no serve node with the hand-off has run on. */
    static void empty(TestDatabase db) {
        db.jdbi().useTransaction(h -> {
            h.execute("DELETE FROM orchestrator.promotion_outbox");
            h.execute("DELETE FROM orchestrator.promotion_destination");
        });
    }

    /** The delivery the config asks for with a given policy, registered. */
    static PromotionDelivery delivery(OrchestratorConfig config, TestDatabase db, String node, DeliveryPolicy policy) {
        PromotionDelivery delivery = new PromotionDelivery(db.jdbi(), config.promotion(), config.home(), node, policy, System.getenv());
        delivery.register();
        return delivery;
    }

    /** One outbox row of a model, as the test reads it. */
    record Row(long id, String event, String destination, String deliveryId, JsonNode payload, int attempts, String lastError,
               boolean delivered, boolean givenUp) {
    }

    /** The model's outbox rows, in the order they were enqueued. */
    static List<Row> rows(TestDatabase db, String model) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT id, event, destination, delivery_id::text AS delivery_id, payload::text AS payload, attempts, last_error,
                       delivered_at IS NOT NULL AS delivered, given_up_at IS NOT NULL AS given_up
                  FROM orchestrator.promotion_outbox WHERE payload ->> 'model' = :model ORDER BY id""")
                .bind("model", model)
                .map((rs, ctx) -> {
                    try {
                        return new Row(rs.getLong("id"), rs.getString("event"), rs.getString("destination"), rs.getString("delivery_id"),
                                Json.MAPPER.readTree(rs.getString("payload")), rs.getInt("attempts"), rs.getString("last_error"),
                                rs.getBoolean("delivered"), rs.getBoolean("given_up"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).list());
    }
}
