package org.visutility.orchestrator.lineage.openlineage;

import org.visutility.orchestrator.outbox.DeliveryPolicy;
import org.visutility.orchestrator.outbox.Pass;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.experiment.ExperimentObserver;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The HTTP transport against a loopback OpenLineage endpoint: delivered from the outbox, retried while the endpoint is down, given up after the retry window. */
@ExtendWith(PostgresExtension.class)
class OpenLineageHttpExportTest {
    private static final String API_KEY = "lineage-test-key-0123456789";
    private static final String SPHERE = Experiments.spec("{type: function, function: sphere}");

    @TempDir
    Path home;

    private LineageEndpoint endpoint;
    private List<LineageEndpoint.Received> received;

    @BeforeEach
    void endpoint() throws IOException {
        endpoint = new LineageEndpoint();
        received = endpoint.received();
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private String url() {
        return endpoint.url();
    }

    private OpenLineageDelivery delivery(TestDatabase db, Map<String, String> settings, DeliveryPolicy policy) {
        return Outboxes.delivery(db, Experiments.config(db, home, settings), Experiments.OWNER, policy);
    }

    private void run(TestDatabase db, long id) {
        Experiments.runner(db, Experiments.config(db, home, Map.of()), ExperimentObserver.NONE).run(id, false);
    }

    @Test
    void startAndCompleteArePostedToTheLineageApiWithTheBearerToken(TestDatabase db) {
        long id = Experiments.queue(db, SPHERE);
        try (OpenLineageDelivery delivery = delivery(db, Map.of("ORCHESTRATOR_OPENLINEAGE_URL", url(),
                "ORCHESTRATOR_OPENLINEAGE_API_KEY", API_KEY), Outboxes.QUICK_RETRY)) {
            run(db, id);
            assertThat(received).as("nothing is sent from the run itself").isEmpty();
            assertThat(delivery.deliverDue()).isEqualTo(new Pass(2, 0, 0));
        }
        assertThat(received).extracting(LineageEndpoint.Received::eventType).containsExactly("START", "COMPLETE");
        assertThat(received).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("/api/v1/lineage");
            assertThat(r.authorization()).isEqualTo("Bearer " + API_KEY);
            assertThat(r.body().at("/run/facets/visutility_experiment/experimentId").asLong()).isEqualTo(id);
        });
        assertThat(received.get(1).body().at("/run/facets/visutility_hyperparameters/params").size()).isEqualTo(2);
        assertThat(Outboxes.rows(db, id)).allSatisfy(r -> {
            assertThat(r.get("delivered")).isEqualTo(true);
            assertThat(r.get("attempts")).isEqualTo(1);
        });
    }

    @Test
    void anEndpointThatIsDownFailsNoRunAndItsEndEventWaitsBehindTheStart(TestDatabase db) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        long id = Experiments.queue(db, SPHERE);
        try (OpenLineageDelivery delivery = delivery(db, Map.of("ORCHESTRATOR_OPENLINEAGE_URL", "http://127.0.0.1:" + closedPort + "/lineage",
                "ORCHESTRATOR_OPENLINEAGE_TIMEOUT", "1s"), DeliveryPolicy.forTimeout(Duration.ofSeconds(1)))) {
            run(db, id);
            assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
            assertThat(delivery.deliverDue()).isEqualTo(new Pass(0, 1, 0));
        }
        List<Map<String, Object>> rows = Outboxes.rows(db, id);
        assertThat(rows).extracting(r -> r.get("event_type")).containsExactly("START", "COMPLETE");
        assertThat(rows.get(0)).containsEntry("attempts", 1).containsEntry("delivered", false).containsEntry("given_up", false);
        assertThat((String) rows.get(0).get("last_error")).isNotBlank();
        assertThat(rows.get(1)).as("COMPLETE is not tried before START is out").containsEntry("attempts", 0);
        assertThat(Outboxes.count(db, "experiment_id = :id AND next_attempt_at > created_at + interval '900 milliseconds'", id))
                .as("START waits its first backoff (1 s)").isEqualTo(1);
    }

    @Test
    void anEndpointThatIsDownThenComesUpGetsTheEventsAfterRetries(TestDatabase db) throws Exception {
        // 500, not 503: the client's HTTP library retries a 503 once itself
        endpoint.answer(500);
        long id = Experiments.queue(db, SPHERE);
        try (OpenLineageDelivery delivery = delivery(db, Map.of("ORCHESTRATOR_OPENLINEAGE_URL", url()), Outboxes.QUICK_RETRY)) {
            run(db, id);
            assertThat(delivery.deliverDue()).isEqualTo(new Pass(0, 1, 0));
            assertThat(received).extracting(LineageEndpoint.Received::eventType).containsExactly("START");
            assertThat((String) Outboxes.rows(db, id).get(0).get("last_error")).contains("500");

            endpoint.answer(201);
            received.clear();
            Await.until("START and COMPLETE delivered after the endpoint came back", Duration.ofSeconds(30), () -> {
                delivery.deliverDue();
                return Outboxes.count(db, "experiment_id = :id AND delivered_at IS NOT NULL", id) == 2;
            });
        }
        assertThat(received).extracting(LineageEndpoint.Received::eventType).containsExactly("START", "COMPLETE");
        List<Map<String, Object>> rows = Outboxes.rows(db, id);
        assertThat((Integer) rows.get(0).get("attempts")).isGreaterThanOrEqualTo(2);
        assertThat(rows.get(0).get("last_error")).isNull();
        assertThat(rows.get(1)).containsEntry("attempts", 1);
    }

    @Test
    void anEventThatCannotBeDeliveredWithinTheRetryWindowIsGivenUpAndItsEndEventFollows(TestDatabase db) {
        endpoint.answer(500);
        long id = Experiments.queue(db, SPHERE);
        DeliveryPolicy noRetry = new DeliveryPolicy(DeliveryPolicy.BATCH, Duration.ofMinutes(1), Duration.ofMillis(50),
                Duration.ofMillis(50), Duration.ZERO);
        try (OpenLineageDelivery delivery = delivery(db, Map.of("ORCHESTRATOR_OPENLINEAGE_URL", url()), noRetry)) {
            run(db, id);
            // START given up on its first failure; COMPLETE is then due and given up in the same pass
            assertThat(delivery.deliverDue()).isEqualTo(new Pass(0, 1, 1));
            assertThat(delivery.deliverDue()).isEqualTo(new Pass(0, 1, 1));
            assertThat(delivery.deliverDue()).isEqualTo(new Pass(0, 0, 0));
        }
        assertThat(Outboxes.rows(db, id)).extracting(r -> r.get("event_type"), r -> r.get("given_up"), r -> r.get("attempts"))
                .containsExactly(tuple("START", true, 1), tuple("COMPLETE", true, 1));
    }
}
