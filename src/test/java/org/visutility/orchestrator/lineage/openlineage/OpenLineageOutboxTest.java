package org.visutility.orchestrator.lineage.openlineage;

import org.visutility.orchestrator.outbox.DeliveryPolicy;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.experiment.ExperimentModule;
import org.visutility.orchestrator.experiment.ExperimentObserver;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The outbox: events written with the state change that causes them, whatever path changed it;
 * delivered by another node when the one that changed the state died; delivered once when two
 * nodes deliver at once; nothing enqueued while the export is off.
 */
@ExtendWith(PostgresExtension.class)
class OpenLineageOutboxTest {
    private static final String SPHERE = Experiments.spec("{type: function, function: sphere}");

    @TempDir
    Path home;

    private static void prepare(TestDatabase db, long id) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE orchestrator.experiment SET prepared_at = now(), status = 'running' WHERE id = :id")
                .bind("id", id).execute());
    }

    private static void end(TestDatabase db, long id, String status) {
        db.jdbi().useHandle(h -> h.createUpdate("""
                        UPDATE orchestrator.experiment
                           SET status = :status, finished_at = now(), error = CASE WHEN :status = 'succeeded' THEN NULL ELSE 'ended by the test' END
                         WHERE id = :id""")
                .bind("id", id).bind("status", status).execute());
    }

    private static long pending(TestDatabase db) {
        return Outboxes.count(db, "delivered_at IS NULL AND given_up_at IS NULL");
    }

    private static long jobsStored(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM quartz.qrtz_job_details WHERE job_name = :name")
                .bind("name", OpenLineageModule.DELIVER).mapTo(Long.class).one());
    }

    @Test
    void eachStateChangeEnqueuesItsEventOncePerDestinationWhicheverPathMadeIt(TestDatabase db) {
        OrchestratorConfig config = Experiments.config(db, home, Map.of("ORCHESTRATOR_OPENLINEAGE_URL", "http://127.0.0.1:9/lineage",
                "ORCHESTRATOR_OPENLINEAGE_FILE", home.resolve("events.jsonl").toString()));
        Outboxes.delivery(db, config, "node-a").close();
        Map<String, Long> byStatus = new HashMap<>();
        for (String status : List.of("succeeded", "failed", "cancelled", "abandoned")) {
            long id = Experiments.queue(db, SPHERE);
            prepare(db, id);
            end(db, id, status);
            byStatus.put(status, id);
        }
        long cancelledWhileQueued = Experiments.queue(db, SPHERE);
        end(db, cancelledWhileQueued, "cancelled");

        assertThat(Outboxes.rows(db, byStatus.get("succeeded"))).extracting(r -> r.get("event_type"))
                .containsExactly("START", "START", "COMPLETE", "COMPLETE");
        assertThat(Outboxes.rows(db, byStatus.get("failed"))).extracting(r -> r.get("event_type")).containsExactly("START", "START", "FAIL", "FAIL");
        assertThat(Outboxes.rows(db, byStatus.get("cancelled"))).extracting(r -> r.get("event_type")).containsExactly("START", "START", "ABORT", "ABORT");
        assertThat(Outboxes.rows(db, byStatus.get("abandoned"))).extracting(r -> r.get("event_type")).containsExactly("START", "START", "FAIL", "FAIL");
        assertThat(Outboxes.rows(db, cancelledWhileQueued)).extracting(r -> r.get("event_type")).containsExactly("ABORT", "ABORT");

        // failed, then ops abandon, then a restart that fails again: still one FAIL per destination
        long failed = byStatus.get("failed");
        end(db, failed, "abandoned");
        db.jdbi().useHandle(h -> h.execute("UPDATE orchestrator.experiment SET status = 'queued' WHERE id = ?", failed));
        prepare(db, failed);
        end(db, failed, "failed");
        assertThat(Outboxes.rows(db, failed)).hasSize(4);
    }

    @Test
    void anEventLeftByANodeThatDiedIsDeliveredByAnotherNode(TestDatabase db) throws Exception {
        Path file = home.resolve("events.jsonl");
        OrchestratorConfig config = Experiments.config(db, home, Map.of("ORCHESTRATOR_OPENLINEAGE_FILE", file.toString(),
                "ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "500ms"));
        long id = Experiments.queue(db, SPHERE);
        String destination;
        try (OpenLineageDelivery nodeA = Outboxes.delivery(db, config, "node-a")) {
            destination = OpenLineageDelivery.clients(config.openLineage()).keySet().iterator().next();
            // node A runs the experiment: its state changes commit, with their events, and A delivers nothing
            Experiments.runner(db, config, ExperimentObserver.NONE).run(id, false);
        }
        // A had even claimed the START and died while sending it: its lease runs out
        assertThat(new OpenLineageOutbox(db.jdbi()).claim(List.of(destination), "node-a", 1, Duration.ofMillis(200)))
                .extracting(OutboxEvent::type).containsExactly(EventType.START);
        assertThat(file).doesNotExist();

        try (Node nodeB = Node.start(config, List.of(new ExperimentModule()))) {
            Await.until("node B's delivery job sent START and COMPLETE", Duration.ofSeconds(60), () -> pending(db) == 0);
            assertThat(jobsStored(db)).isEqualTo(1);
        }
        assertThat(OpenLineageFileExportTest.lines(file)).extracting(e -> e.get("eventType").asText()).containsExactly("START", "COMPLETE");
        assertThat(Outboxes.rows(db, id)).extracting(r -> r.get("event_type"), r -> r.get("attempts"), r -> r.get("delivered"))
                .containsExactly(tuple("START", 2, true), tuple("COMPLETE", 1, true));
        assertThat(Outboxes.rows(db, id)).extracting(r -> r.get("leased_by")).doesNotContain("node-a");
    }

    @Test
    void twoNodesDeliveringAtOnceSendEachEventExactlyOnceAndStartFirst(TestDatabase db) throws Exception {
        int experiments = 20;
        try (LineageEndpoint endpoint = new LineageEndpoint()) {
            OrchestratorConfig config = Experiments.config(db, home, Map.of("ORCHESTRATOR_OPENLINEAGE_URL", endpoint.url()));
            DeliveryPolicy smallBatches = new DeliveryPolicy(3, Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                    DeliveryPolicy.GIVE_UP_AFTER);
            List<Long> ids = new ArrayList<>();
            try (OpenLineageDelivery a = Outboxes.delivery(db, config, "node-a", smallBatches);
                 OpenLineageDelivery b = Outboxes.delivery(db, config, "node-b", smallBatches)) {
                for (int i = 0; i < experiments; i++) {
                    long id = Experiments.queue(db, SPHERE);
                    prepare(db, id);
                    end(db, id, i % 2 == 0 ? "succeeded" : "failed");
                    ids.add(id);
                }
                assertThat(pending(db)).isEqualTo(2L * experiments);
                CountDownLatch go = new CountDownLatch(1);
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    List<Future<Integer>> delivered = new ArrayList<>();
                    for (OpenLineageDelivery d : List.of(a, b)) {
                        delivered.add(pool.submit(() -> {
                            go.await();
                            int sent = 0;
                            while (pending(db) > 0) sent += d.deliverDue().delivered();
                            return sent;
                        }));
                    }
                    go.countDown();
                    int total = 0;
                    for (Future<Integer> f : delivered) total += f.get();
                    assertThat(total).isEqualTo(2 * experiments);
                } finally {
                    pool.shutdownNow();
                }
            }
            List<LineageEndpoint.Received> received = endpoint.received();
            assertThat(received).hasSize(2 * experiments);
            Map<Long, List<String>> byExperiment = received.stream().collect(Collectors.groupingBy(LineageEndpoint.Received::experimentId,
                    Collectors.mapping(LineageEndpoint.Received::eventType, Collectors.toList())));
            assertThat(byExperiment).hasSize(experiments);
            for (int i = 0; i < experiments; i++) {
                assertThat(byExperiment.get(ids.get(i))).as("experiment " + ids.get(i))
                        .containsExactly("START", i % 2 == 0 ? "COMPLETE" : "FAIL");
            }
            assertThat(Outboxes.count(db, "experiment_id >= :id AND (attempts <> 1 OR delivered_at IS NULL)", ids.get(0))).isZero();
        }
    }

    @Test
    void withTheExportOffNothingIsEnqueuedAndNoDeliveryIsScheduled(TestDatabase db) throws Exception {
        OrchestratorConfig on = Experiments.config(db, home, Map.of("ORCHESTRATOR_OPENLINEAGE_FILE", home.resolve("events.jsonl").toString(),
                "ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "500ms"));
        try (Node node = Node.start(on, List.of(new ExperimentModule()))) {
            assertThat(jobsStored(db)).isEqualTo(1);
        }
        long before = Experiments.queue(db, SPHERE);
        prepare(db, before);
        assertThat(pending(db)).isEqualTo(1);

        OrchestratorConfig off = Experiments.config(db, home, Map.of("ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "500ms"));
        try (Node node = Node.start(off, List.of(new ExperimentModule()))) {
            assertThat(jobsStored(db)).as("the delivery schedule left by the earlier configuration").isZero();
        }
        assertThat(Outboxes.rows(db, before)).extracting(r -> r.get("given_up"), r -> r.get("last_error"))
                .containsExactly(tuple(true, "destination removed from the settings"));

        for (int i = 0; i < 5; i++) {
            long id = Experiments.queue(db, SPHERE);
            prepare(db, id);
            end(db, id, "succeeded");
        }
        end(db, before, "failed");
        assertThat(Outboxes.count(db, "experiment_id >= :id", before)).as("only the one row from before").isEqualTo(1);
        long destinations = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.openlineage_destination")
                .mapTo(Long.class).one());
        assertThat(destinations).isZero();
    }

    @Test
    void aCommandsOwnNodeWithTheExportOffLeavesTheClustersExportOn(TestDatabase db) throws Exception {
        OrchestratorConfig on = Experiments.config(db, home, Map.of("ORCHESTRATOR_OPENLINEAGE_FILE", home.resolve("events.jsonl").toString(),
                "ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "500ms"));
        try (Node service = Node.start(on, List.of(new ExperimentModule()))) {
            assertThat(jobsStored(db)).isEqualTo(1);
        }
        long id = Experiments.queue(db, SPHERE);
        prepare(db, id);

        // e.g. experiments submit --wait from a shell without the OpenLineage settings, no service node alive
        OrchestratorConfig off = Experiments.config(db, home.resolve("cli"), Map.of("ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "500ms"));
        try (Node command = Node.start(off, List.of(ExperimentModule.forCommand()))) {
            assertThat(jobsStored(db)).isEqualTo(1);
        }
        assertThat(jobsStored(db)).as("the delivery schedule of the service nodes").isEqualTo(1);
        assertThat(Outboxes.rows(db, id)).extracting(r -> r.get("given_up")).containsExactly(false);
        end(db, id, "succeeded");
        assertThat(pending(db)).as("START and COMPLETE, still enqueued").isEqualTo(2);
    }
}
