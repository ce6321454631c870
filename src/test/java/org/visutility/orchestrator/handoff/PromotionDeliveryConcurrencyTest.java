package org.visutility.orchestrator.handoff;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.model.VersionStatus;
import org.visutility.orchestrator.model.VersionTransitions;
import org.visutility.orchestrator.outbox.DeliveryPolicy;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.Lifecycles;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Two nodes delivering the promotion outbox at once send each notification once (SKIP LOCKED claims). */
@ExtendWith(PostgresExtension.class)
class PromotionDeliveryConcurrencyTest {
    @TempDir
    Path home;

    @Test
    void twoNodesDeliveringAtOnceSendEachNotificationExactlyOnce(TestDatabase db) throws Exception {
        int versions = 12;
        try (Receiver receiver = new Receiver(200)) {
            OrchestratorConfig config = Experiments.config(db, home, Map.of("ORCHESTRATOR_PROMOTION_WEBHOOK_URL", receiver.url()));
            DeliveryPolicy smallBatches = new DeliveryPolicy(3, Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                    DeliveryPolicy.GIVE_UP_AFTER);
            try (PromotionDelivery a = Notifications.delivery(config, db, "node-a", smallBatches);
                 PromotionDelivery b = Notifications.delivery(config, db, "node-b", smallBatches)) {
                for (int i = 0; i < versions; i++) {
                    long v = Lifecycles.version(db.jdbi(), "busy", "v" + i, "candidate");
                    db.jdbi().useTransaction(h -> VersionTransitions.change(h, v, VersionStatus.APPROVED, Actor.GATE, "no gate", null));
                }
                CountDownLatch go = new CountDownLatch(1);
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    List<Future<Integer>> sent = new ArrayList<>();
                    for (PromotionDelivery d : List.of(a, b)) {
                        sent.add(pool.submit(() -> {
                            go.await();
                            int n = 0;
                            while (pending(db) > 0) n += d.deliverDue().delivered();
                            return n;
                        }));
                    }
                    go.countDown();
                    int total = 0;
                    for (Future<Integer> f : sent) total += f.get();
                    assertThat(total).isEqualTo(versions);
                } finally {
                    pool.shutdownNow();
                }
            }
            assertThat(receiver.requests()).hasSize(versions);
            assertThat(receiver.requests().stream().map(Receiver.Request::delivery).distinct()).hasSize(versions);
            assertThat(Notifications.rows(db, "busy")).hasSize(versions)
                    .allSatisfy(r -> assertThat(r.attempts()).isEqualTo(1))
                    .allSatisfy(r -> assertThat(r.delivered()).isTrue());
        }
    }

    private static long pending(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM orchestrator.promotion_outbox WHERE delivered_at IS NULL AND given_up_at IS NULL").mapTo(Long.class).one());
    }
}
